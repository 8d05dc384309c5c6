using System.Diagnostics;
using System.Text;

namespace CallTracking.IntegrationTests.Infrastructure.GrpcPeers;

/// <summary>
/// A running peer script: stdout kept line by line (so a test can wait for a line while the call goes on),
/// stderr kept apart, both also written to a log file. Disposing kills the process (by its own id) if it runs.
/// </summary>
public sealed class GrpcPeerProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly StringBuilder _stderr = new();
    private readonly StreamWriter _log;
    private readonly Lock _gate = new();

    private GrpcPeerProcess(Process process, StreamWriter log, string commandLine)
    {
        _process = process;
        _log = log;
        CommandLine = commandLine;
    }

    public string CommandLine { get; }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return _lines.ToArray();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="fileName"/> with arguments and extra environment; logs to <paramref name="logPath"/>.</summary>
    public static GrpcPeerProcess Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, string workingDirectory, string logPath)
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

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var commandLine = string.Join(' ', info.ArgumentList.Prepend(fileName).Select(a => a.Length > 200 ? a[..200] + "…" : a));
        var log = new StreamWriter(logPath, append: false, Encoding.UTF8) { AutoFlush = true };
        log.WriteLine($"$ {commandLine}");
        var process = new Process { StartInfo = info };
        var peer = new GrpcPeerProcess(process, log, commandLine);
        process.OutputDataReceived += (_, e) => peer.Append(e.Data, stderr: false);
        process.ErrorDataReceived += (_, e) => peer.Append(e.Data, stderr: true);
        try
        {
            process.Start();
        }
        catch
        {
            peer.Dispose();
            throw;
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return peer;
    }

    /// <summary>Waits for a stdout line that matches; fails with the output so far after <paramref name="timeout"/>.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            var line = Lines.FirstOrDefault(match);
            if (line is not null)
            {
                return line;
            }

            if (_process.HasExited && Lines.FirstOrDefault(match) is null)
            {
                // Output may still be draining right after the exit.
                await _process.WaitForExitAsync().ConfigureAwait(false);
                return Lines.FirstOrDefault(match) ?? throw new InvalidOperationException($"The peer exited without the expected line.\n{Snapshot(_process.ExitCode).Describe()}");
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"No expected line within {timeout}.\n{Snapshot(-1).Describe()}");
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    /// <summary>Waits for the exit (killing the process after <paramref name="timeout"/>) and returns what it printed.</summary>
    public async Task<GrpcPeerResult> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            // Also drains the redirected output to its end.
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"The peer did not exit within {timeout}.\n{Snapshot(-1).Describe()}");
        }

        return Snapshot(_process.ExitCode);
    }

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
            // Never started or already gone.
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
        lock (_gate)
        {
            _log.Dispose();
        }
    }

    private GrpcPeerResult Snapshot(int exitCode) => new(CommandLine, exitCode, Lines, Stderr);

    private void Append(string? line, bool stderr)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            if (stderr)
            {
                _stderr.Append(line).Append('\n');
            }
            else
            {
                _lines.Add(line);
            }

            try
            {
                _log.WriteLine(stderr ? "! " + line : line);
            }
            catch (ObjectDisposedException)
            {
                // Output after disposal stays in memory only.
            }
        }
    }
}
