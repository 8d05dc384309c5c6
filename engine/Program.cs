using CallTracking.Engine.Cli;
using CallTracking.Engine.Hosting;

namespace CallTracking.Engine;

internal static class Program
{
    public static Task<int> Main(string[] args) =>
        new CliApp(CliEnvironment.FromProcess(), EngineHost.RunAsync, EngineHost.MigrateAsync)
            .RunAsync(args, Console.Out, Console.Error, CancellationToken.None);
}
