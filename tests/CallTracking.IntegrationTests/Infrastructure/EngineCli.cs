using System.Diagnostics;

namespace CallTracking.IntegrationTests.Infrastructure;

/// <summary>
/// One run of the <c>calltracking</c> command line as its own process (<c>dotnet calltracking.dll ARGS</c>)
/// against the database <paramref name="connectionString"/> (null: the embedded cluster under the folder's <c>data</c>),
/// with stdout and stderr kept apart.
/// </summary>
public static class EngineCli
{
    public static async Task<(int Code, string Out, string Err)> RunAsync(TestDirectory directory, string? connectionString, params string[] arguments)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = directory.Path,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "calltracking.dll"));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.ArgumentList.Add($"--Data:Path={directory.SubDirectory("data")}");
        if (connectionString is not null)
        {
            info.ArgumentList.Add($"--Database:ConnectionString={connectionString}");
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException($"calltracking {string.Join(' ', arguments)} did not exit within 60 s");
        }

        return (process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
