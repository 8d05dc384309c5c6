using System.Diagnostics;

namespace CallTracking.IntegrationTests.Infrastructure;

/// <summary>
/// One run of the <c>calltracking</c> command line as its own process (<c>dotnet calltracking.dll ARGS</c>)
/// against the database <paramref name="connectionString"/> (null: the embedded cluster under the folder's <c>data</c>),
/// with stdout and stderr kept apart.
/// </summary>
public static class EngineCli
{
    public static Task<(int Code, string Out, string Err)> RunAsync(TestDirectory directory, string? connectionString, params string[] arguments) =>
        RunWithInputAsync(directory, connectionString, null, arguments);

    /// <summary>As <see cref="RunAsync"/>, writing <paramref name="input"/> to the command's stdin and closing it (null: no stdin at all).</summary>
    public static async Task<(int Code, string Out, string Err)> RunWithInputAsync(TestDirectory directory, string? connectionString, string? input, params string[] arguments)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = directory.Path,
            UseShellExecute = false,
            RedirectStandardInput = input is not null,
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
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input).ConfigureAwait(false);
            process.StandardInput.Close();
        }

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
