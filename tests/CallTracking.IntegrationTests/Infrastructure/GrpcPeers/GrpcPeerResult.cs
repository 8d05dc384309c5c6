using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CallTracking.IntegrationTests.Infrastructure.GrpcPeers;

/// <summary>What a peer script printed: MSG / MSG_SIZE lines, the STATUS line, stderr and its exit code.</summary>
public sealed record GrpcPeerResult(string CommandLine, int ExitCode, IReadOnlyList<string> Lines, string Stderr)
{
    /// <summary>The response messages (MSG lines) as JSON, in order.</summary>
    public IReadOnlyList<JsonElement> Messages =>
        Lines.Where(line => line.StartsWith("MSG ", StringComparison.Ordinal))
            .Select(line => JsonDocument.Parse(line[4..]).RootElement.Clone())
            .ToArray();

    /// <summary>The response sizes (MSG_SIZE lines with --sizes-only).</summary>
    public IReadOnlyList<long> MessageSizes =>
        Lines.Where(line => line.StartsWith("MSG_SIZE ", StringComparison.Ordinal))
            .Select(line => long.Parse(line[9..], CultureInfo.InvariantCulture))
            .ToArray();

    /// <summary>The status code name (OK, CANCELLED, DEADLINE_EXCEEDED, …), or null when the script printed none.</summary>
    public string? Status => StatusLine?.Split(' ', 3) is { Length: >= 2 } parts ? parts[1] : null;

    /// <summary>The status details as the client library decoded them ("" when none).</summary>
    public string StatusDetails => StatusLine?.Split(' ', 3) is { Length: 3 } parts ? parts[2] : string.Empty;

    /// <summary>True when the script ran the call to a status (whatever the status).</summary>
    public bool Completed => ExitCode == 0 && Status is not null;

    private string? StatusLine => Lines.LastOrDefault(line => line.StartsWith("STATUS ", StringComparison.Ordinal));

    public string Describe() => new StringBuilder()
        .AppendLine(CultureInfo.InvariantCulture, $"$ {CommandLine}")
        .AppendLine(CultureInfo.InvariantCulture, $"exit {ExitCode}")
        .AppendLine("--- stdout ---")
        .AppendLine(string.Join('\n', Lines.Select(line => line.Length > 300 ? line[..300] + "…" : line)))
        .AppendLine("--- stderr ---")
        .AppendLine(Stderr)
        .ToString();
}
