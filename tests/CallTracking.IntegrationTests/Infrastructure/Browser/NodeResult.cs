namespace CallTracking.IntegrationTests.Infrastructure.Browser;

/// <summary>How a node run ended: its exit code and its stdout and stderr, interleaved as they arrived.</summary>
public sealed record NodeResult(int ExitCode, string Output, string CommandLine)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>For assertion messages: the command and its output.</summary>
    public override string ToString() => $"$ {CommandLine}{Environment.NewLine}exit {ExitCode}{Environment.NewLine}{Output}";
}
