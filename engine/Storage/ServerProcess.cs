using System.Diagnostics;
using System.Text;

namespace CallTracking.Engine.Storage;

/// <summary>
/// Runs the PostgreSQL tools to completion. PostgreSQL refuses to run as root, so when the engine is root each tool
/// runs as the <c>postgres</c> system user (<c>runuser -u postgres --</c>); otherwise as the engine's own user.
/// </summary>
internal static class ServerProcess
{
    public const string ServerUser = "postgres";

    public static bool IsRoot => Environment.UserName == "root";

    public static async Task<(int ExitCode, string Output)> RunAsync(string file, IReadOnlyList<string> arguments, CancellationToken cancellationToken, bool asServerUser = true)
    {
        var info = new ProcessStartInfo(asServerUser && IsRoot ? "runuser" : file)
        {
            UseShellExecute = false,
            CreateNoWindow = true,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (asServerUser && IsRoot)
        {
            foreach (var a in (string[])["-u", ServerUser, "--", file])
            {
                info.ArgumentList.Add(a);
            }
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }

        lock (output)
        {
            return (process.ExitCode, output.ToString().Trim());
        }
    }

    /// <summary>Makes <paramref name="path"/> the server user's own (when root) and private to it.</summary>
    public static async Task MakePrivateAsync(string path, CancellationToken cancellationToken)
    {
        if (IsRoot)
        {
            var (code, output) = await RunAsync("chown", [$"{ServerUser}:{ServerUser}", path], cancellationToken, asServerUser: false).ConfigureAwait(false);
            if (code != 0)
            {
                throw new IOException($"cannot give {path} to the '{ServerUser}' user: {output}");
            }
        }

        if (OperatingSystem.IsWindows())
        {
            return;
        }

        if (Directory.Exists(path))
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        else
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
