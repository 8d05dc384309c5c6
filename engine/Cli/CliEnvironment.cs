using System.Collections;

namespace CallTracking.Engine.Cli;

/// <summary>Where the CLI runs: the executable's folder, the working directory, the environment variables.</summary>
public sealed record CliEnvironment(string BaseDirectory, string WorkingDirectory, IReadOnlyDictionary<string, string?> Variables)
{
    public static CliEnvironment FromProcess()
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = entry.Value as string;
        }

        return new CliEnvironment(AppContext.BaseDirectory, Environment.CurrentDirectory, variables);
    }
}
