using System.Globalization;

namespace CallTracking.IntegrationTests.Infrastructure;

/// <summary>
/// sipp as a child process, with the traps from docs TESTING.md handled: its own
/// control port (-cp) and media ports (-mp) per instance, fast failure
/// (-timeout with -timeout_error, -recv_timeout), no stdin, no -bg, and
/// -trace_stat/-trace_err/-trace_msg written into the test folder.
/// <see cref="RunAsync"/> runs a UAC to the end; <see cref="StartAsync"/> starts a
/// peer (UAS) and returns once its port is bound; <see cref="StopAsync"/> ends it
/// gracefully (SIGUSR1: finish the calls in progress, then exit).
/// </summary>
public sealed class Sipp : IAsyncDisposable
{
    private readonly CapturedProcess _process;
    private readonly TestDirectory _directory;
    private readonly string _name;

    private Sipp(CapturedProcess process, TestDirectory directory, string name, SippOptions options, int localPort)
    {
        _process = process;
        _directory = directory;
        _name = name;
        Options = options;
        LocalPort = localPort;
    }

    public SippOptions Options { get; }

    /// <summary>The SIP port sipp bound (-p) on <see cref="SippOptions.BindAddress"/>.</summary>
    public int LocalPort { get; }

    /// <summary>"address:port", what a UAC passes as <see cref="SippOptions.Remote"/> to reach this peer.</summary>
    public string Address => $"{Options.BindAddress}:{LocalPort}";

    /// <summary>The directory holding the scenario files copied to the test output.</summary>
    public static string ScenarioDirectory => Path.Combine(AppContext.BaseDirectory, "Scenarios");

    /// <summary>Runs sipp until it exits by itself (after -m calls, or -timeout).</summary>
    public static async Task<SippResult> RunAsync(TestDirectory directory, SippOptions options)
    {
        await using var sipp = Launch(directory, options);
        // A hung sipp must not hang the suite: its own -timeout plus a margin.
        using var guard = new CancellationTokenSource(options.Timeout + TimeSpan.FromSeconds(15));
        try
        {
            await sipp._process.WaitForExitAsync(guard.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (guard.IsCancellationRequested)
        {
            sipp._process.Kill();
            await sipp._process.WaitForExitAsync().ConfigureAwait(false);
        }

        return await sipp.CollectAsync().ConfigureAwait(false);
    }

    /// <summary>Starts sipp in the background (a peer) and waits until its SIP port is bound.</summary>
    public static async Task<Sipp> StartAsync(TestDirectory directory, SippOptions options)
    {
        var sipp = Launch(directory, options);
        try
        {
            await ListeningSockets.WaitUntilListeningAsync(
                options.Transport, options.BindAddress, sipp.LocalPort, TimeSpan.FromSeconds(10), () => sipp._process.HasExited)
                .ConfigureAwait(false);
            return sipp;
        }
        catch (TimeoutException e)
        {
            var output = sipp._process.Output;
            await sipp.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"sipp peer did not start: {e.Message}\n$ {sipp._process.CommandLine}\n{CapturedProcess.TailOf(output, 30)}", e);
        }
    }

    /// <summary>Asks sipp to finish the calls in progress and exit (SIGUSR1), then collects its result.</summary>
    public async Task<SippResult> StopAsync()
    {
        await _process.SignalAsync("USR1").ConfigureAwait(false);
        if (!await _process.WaitForExitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false))
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync().ConfigureAwait(false);
        return await CollectAsync().ConfigureAwait(false);
    }

    /// <summary>Waits for a peer started with -m to finish its calls and exit by itself; killed after
    /// <paramref name="timeout"/>.</summary>
    public async Task<SippResult> WaitForExitAsync(TimeSpan timeout)
    {
        if (!await _process.WaitForExitAsync(timeout).ConfigureAwait(false))
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync().ConfigureAwait(false);
        return await CollectAsync().ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private static Sipp Launch(TestDirectory directory, SippOptions options)
    {
        if ((options.Scenario is null) == (options.BuiltIn is null))
        {
            throw new ArgumentException("Give exactly one of Scenario and BuiltIn.", nameof(options));
        }

        var name = $"{options.Name}-{Guid.NewGuid().ToString("N")[..6]}";
        var localPort = options.LocalPort ?? FreePorts.Next();
        var arguments = new List<string>();
        if (options.Scenario is not null)
        {
            var scenario = Path.IsPathRooted(options.Scenario) ? options.Scenario : Path.Combine(ScenarioDirectory, options.Scenario);
            arguments.AddRange(["-sf", scenario]);
        }
        else
        {
            arguments.AddRange(["-sn", options.BuiltIn!]);
        }

        if (options.Remote is not null)
        {
            arguments.Add(options.Remote);
        }

        if (options.Service is not null)
        {
            arguments.AddRange(["-s", options.Service]);
        }

        arguments.AddRange([
            "-i", options.BindAddress.ToString(),
            "-p", Invariant(localPort),
            "-t", options.Transport == SippTransport.Tcp ? "t1" : "u1",
            // sipp listens for remote control on 8888 of every interface unless told otherwise.
            "-cp", Invariant(FreePorts.Next()),
            // Media sockets: the port and the ones above it (RTCP, video); 6000 by default, shared by all instances otherwise.
            "-mp", Invariant(FreePorts.NextRange(4)),
            "-nostdin",
            "-timeout", Invariant((int)Math.Ceiling(options.Timeout.TotalSeconds)) + "s",
            "-timeout_error",
            "-recv_timeout", Invariant((int)options.RecvTimeout.TotalMilliseconds),
            "-trace_stat", "-stf", directory.File($"{name}-stat.csv"),
            "-trace_err", "-error_file", directory.File($"{name}-errors.log"),
            "-trace_msg", "-message_file", directory.File($"{name}-messages.log"),
        ]);
        if (options.Calls is { } calls)
        {
            arguments.AddRange(["-m", Invariant(calls)]);
        }

        if (options.Rate is { } rate)
        {
            arguments.AddRange(["-r", Invariant(rate)]);
        }

        if (options.Limit is { } limit)
        {
            arguments.AddRange(["-l", Invariant(limit)]);
        }

        foreach (var (key, value) in options.Keys)
        {
            arguments.AddRange(["-key", key, value]);
        }

        arguments.AddRange(options.ExtraArguments);
        var process = CapturedProcess.Start("sipp", arguments, directory.Path, directory.File($"{name}.log"));
        return new Sipp(process, directory, name, options, localPort);
    }

    private async Task<SippResult> CollectAsync()
    {
        var exitCode = await _process.WaitForExitAsync().ConfigureAwait(false);
        var statistics = _directory.File($"{_name}-stat.csv");
        var (successful, failed) = ReadCounters(statistics);
        return new SippResult(
            _process.CommandLine,
            exitCode,
            _process.Output,
            successful,
            failed,
            ReadIfExists(_directory.File($"{_name}-errors.log")),
            ReadIfExists(_directory.File($"{_name}-messages.log")),
            statistics);
    }

    /// <summary>
    /// The cumulative SuccessfulCall(C) and FailedCall(C) columns of the last row of
    /// sipp's -trace_stat CSV (';'-separated, header first). -1 when sipp wrote none.
    /// </summary>
    public static (long Successful, long Failed) ReadCounters(string statisticsPath)
    {
        if (!File.Exists(statisticsPath))
        {
            return (-1, -1);
        }

        var lines = File.ReadAllLines(statisticsPath).Where(l => l.Length > 0).ToArray();
        if (lines.Length < 2)
        {
            return (-1, -1);
        }

        var header = lines[0].Split(';');
        var last = lines[^1].Split(';');
        return (Column("SuccessfulCall(C)"), Column("FailedCall(C)"));

        long Column(string name)
        {
            var index = Array.IndexOf(header, name);
            return index >= 0 && index < last.Length && long.TryParse(last[index], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                ? value
                : -1;
        }
    }

    private static string ReadIfExists(string path) => File.Exists(path) ? File.ReadAllText(path) : string.Empty;

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
