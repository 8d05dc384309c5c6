using System.Diagnostics;
using System.Text;

namespace CallTracking.IntegrationTests.Infrastructure;

/// <summary>
/// A child process with no stdin and no window whose stdout and stderr go,
/// line by line, into memory and into one log file. Disposing kills it
/// (SIGKILL) if it is still running; it is only ever addressed by its own id.
/// </summary>
public sealed class CapturedProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StreamWriter _logFile;
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private CapturedProcess(Process process, StreamWriter logFile, string commandLine)
    {
        _process = process;
        _logFile = logFile;
        CommandLine = commandLine;
    }

    public string CommandLine { get; }

    public int Id => _process.Id;

    public bool HasExited => _exited.Task.IsCompleted;

    public int? ExitCode => HasExited ? _process.ExitCode : null;

    /// <summary>Everything written to stdout and stderr so far, interleaved as it arrived.</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    public static CapturedProcess Start(string fileName, IEnumerable<string> arguments, string workingDirectory, string logPath)
    {
        var info = new ProcessStartInfo(fileName)
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

        var commandLine = string.Join(' ', info.ArgumentList.Prepend(fileName).Select(Quote));
        var logFile = new StreamWriter(logPath, append: false, Encoding.UTF8) { AutoFlush = true };
        logFile.WriteLine($"$ {commandLine}");
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var captured = new CapturedProcess(process, logFile, commandLine);
        process.OutputDataReceived += (_, e) => captured.Append(e.Data);
        process.ErrorDataReceived += (_, e) => captured.Append(e.Data);
        process.Exited += (_, _) => captured.OnExited();
        try
        {
            process.Start();
        }
        catch
        {
            captured.Dispose();
            throw;
        }

        // No stdin: a child that reads it sees end of file at once instead of hanging.
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return captured;
    }

    /// <summary>Completes when the process has exited and its output has been read to the end.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken = default)
    {
        await _exited.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        // Process.WaitForExitAsync also drains the redirected output streams.
        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return _process.ExitCode;
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await WaitForExitAsync(cts.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Sends <paramref name="signal"/> (TERM, USR1, …) to this process only, with procps' kill.</summary>
    public async Task SignalAsync(string signal)
    {
        if (HasExited)
        {
            return;
        }

        using var kill = Process.Start(new ProcessStartInfo("kill", ["-s", signal, Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
            CreateNoWindow = true,
        });
        if (kill is not null)
        {
            await kill.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    /// <summary>SIGKILL to this process only (not its children).</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: false);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public string Tail(int lines) => TailOf(Output, lines);

    public static string TailOf(string text, int lines)
    {
        var all = text.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
        lock (_gate)
        {
            _logFile.Dispose();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.Append(line).Append('\n');
            try
            {
                _logFile.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // Output that arrives after disposal is still kept in memory.
            }
        }
    }

    private void OnExited() => _exited.TrySetResult();

    private static string Quote(string argument) =>
        argument.Length > 0 && !argument.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '$')
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
