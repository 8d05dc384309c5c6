using System.Diagnostics;

namespace CallTracking.IntegrationTests.Audio;

/// <summary>A command-line tool the audio tests need (espeak-ng, sox, opusenc, opusdec) is not installed.</summary>
public sealed class AudioToolMissingException : Exception
{
    public AudioToolMissingException()
    {
    }

    public AudioToolMissingException(string message)
        : base(message)
    {
    }

    public AudioToolMissingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Runs espeak-ng, sox, opusenc, opusdec: no stdin, output captured, a time limit, a clear error when missing or failing.</summary>
public static class ExternalTool
{
    /// <summary>The Debian package of each tool, for the error message.</summary>
    private static readonly Dictionary<string, string> Packages = new(StringComparer.Ordinal)
    {
        ["espeak-ng"] = "espeak-ng",
        ["sox"] = "sox",
        ["opusenc"] = "opus-tools",
        ["opusdec"] = "opus-tools",
        ["opusinfo"] = "opus-tools",
        ["sipp"] = "sip-tester",
    };

    public static bool IsInstalled(string tool) => Locate(tool) is not null;

    /// <summary>Throws <see cref="AudioToolMissingException"/> naming the package when <paramref name="tool"/> is not on PATH.</summary>
    public static string Require(string tool) =>
        Locate(tool) ?? throw new AudioToolMissingException(
            $"'{tool}' is not installed (not on PATH). Install the Debian package '{Packages.GetValueOrDefault(tool, tool)}' " +
            "(tests/run does: apt-get install espeak-ng sox opus-tools).");

    /// <summary>Runs <paramref name="tool"/> to the end; returns its stdout+stderr; throws when it fails or takes longer than <paramref name="timeout"/> (default 60 s).</summary>
    public static async Task<string> RunAsync(string tool, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var path = Require(tool);
        var info = new ProcessStartInfo(path)
        {
            UseShellExecute = false,
            CreateNoWindow = true,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var commandLine = string.Join(' ', info.ArgumentList.Prepend(tool));
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {commandLine}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: false);
            throw new TimeoutException($"{commandLine} did not finish within {(timeout ?? TimeSpan.FromSeconds(60)).TotalSeconds:0} s.");
        }

        var output = await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{commandLine} exited {process.ExitCode}:\n{output}");
        }

        return output;
    }

    private static string? Locate(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, tool))
            .FirstOrDefault(File.Exists);
}
