using System.Diagnostics;
using System.Text;

namespace CallTracking.IntegrationTests.Infrastructure.Browser;

/// <summary>
/// Runs Debian's <c>node</c> with arguments and extra environment variables, captures stdout and stderr (also
/// written to a log file), and kills it — by its own process id, with its children — after a time-out.
/// </summary>
public static class NodeRunner
{
    public const string Node = "/usr/bin/node";

    public static async Task<NodeResult> RunAsync(
        string workingDirectory,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment,
        TimeSpan timeout,
        string logPath)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (!File.Exists(Node))
        {
            throw new FileNotFoundException("node is not installed (Debian package 'nodejs').", Node);
        }

        var info = new ProcessStartInfo(Node)
        {
            WorkingDirectory = workingDirectory,
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

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var commandLine = string.Join(' ', info.ArgumentList.Prepend(Node));
        var output = new StringBuilder();
        var gate = new Lock();
        using var log = new StreamWriter(logPath, append: false, Encoding.UTF8) { AutoFlush = true };
        log.WriteLine($"$ {commandLine}");
        void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (gate)
            {
                output.Append(line).Append('\n');
                log.WriteLine(line);
            }
        }

        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The script's own browser is its child: take it down too.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().ConfigureAwait(false);
            Append($"[killed after {timeout.TotalSeconds:0} s]");
            return new NodeResult(-1, Snapshot(), commandLine);
        }

        return new NodeResult(process.ExitCode, Snapshot(), commandLine);

        string Snapshot()
        {
            lock (gate)
            {
                return output.ToString();
            }
        }
    }
}
