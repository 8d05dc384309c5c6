using CallTracking.Engine.Cli;
using CallTracking.Engine.Hosting;

namespace CallTracking.Engine;

internal static class Program
{
    public static Task<int> Main(string[] args) =>
        new CliApp(CliEnvironment.FromProcess(), EngineHost.RunAsync, EngineHost.MigrateAsync) { Database = EngineHost.WithDatabaseAsync, Input = Console.In, PromptSecret = ConsoleSecret.Read }
            .RunAsync(args, Console.Out, Console.Error, CancellationToken.None);
}
