using BenchmarkDotNet.Running;

namespace CallTracking.Bench;

internal static class Program
{
    // `dotnet run -c Release --project bench -- --filter '*'` runs every suite;
    // BenchmarkDotNet's own switches (--filter, --job short, --memory) apply.
    // `… event-latency [--subscribers N] …` is the gRPC event latency harness (Events/EventLatency), not a suite either.
    // `… opus-ceiling [seconds]` is the load harness's libopus ceiling (bench/load/run), not a BenchmarkDotNet suite.
    public static void Main(string[] args)
    {
        if (args is ["event-latency", ..])
        {
            Environment.ExitCode = Events.EventLatency.RunAsync(args).GetAwaiter().GetResult();
            return;
        }

        if (args is ["transcription-rtf", ..])
        {
            Environment.ExitCode = Transcription.TranscriptionRealTime.Run(args);
            return;
        }

        if (args is ["opus-probe", _, ..])
        {
            Environment.ExitCode = Media.OpusCeiling.Probe(args);
            return;
        }

        if (args is ["opus-ceiling", ..])
        {
            Environment.ExitCode = Media.OpusCeiling.Run(args);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
