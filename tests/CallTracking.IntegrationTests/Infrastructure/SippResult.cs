using System.Text;

namespace CallTracking.IntegrationTests.Infrastructure;

/// <summary>What one sipp run did: exit code, output, counters from its -trace_stat file, and its traces.</summary>
public sealed record SippResult(
    string CommandLine,
    int ExitCode,
    string Output,
    long SuccessfulCalls,
    long FailedCalls,
    string ErrorTrace,
    string MessageTrace,
    string StatisticsPath)
{
    /// <summary>sipp exits 0 when every call succeeded, 1 when at least one failed; 97, 99, 255 are internal/fatal errors.</summary>
    public bool AllSucceeded => ExitCode == 0 && FailedCalls == 0;

    /// <summary>Every message sipp sent and received, in order, read from <see cref="MessageTrace"/>.</summary>
    public IReadOnlyList<TracedSipMessage> Messages => SippMessageTrace.Parse(MessageTrace);

    /// <summary>A failure report: command, counters, error trace tail, output tail, and the engine's log tail when given.</summary>
    public string Describe(EngineProcess? engine = null)
    {
        var text = new StringBuilder()
            .AppendLine($"sipp exited {ExitCode}: {SuccessfulCalls} successful, {FailedCalls} failed calls")
            .AppendLine($"$ {CommandLine}")
            .AppendLine("--- sipp error trace (tail) ---")
            .AppendLine(ErrorTrace.Length == 0 ? "(empty)" : CapturedProcess.TailOf(ErrorTrace, 30))
            .AppendLine("--- sipp output (tail) ---")
            .AppendLine(CapturedProcess.TailOf(Output, 30));
        if (engine is not null)
        {
            text.AppendLine($"--- engine log (tail; exit code {engine.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "running"}; folder {engine.Directory}) ---")
                .AppendLine(engine.LogTail(40));
        }

        return text.ToString();
    }
}
