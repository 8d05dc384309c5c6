using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CallTracking.IntegrationTests.Audio;

namespace CallTracking.IntegrationTests.Infrastructure;

/// <summary>One baresip call: who to dial, what to play, over which transport.</summary>
public sealed record BaresipOptions
{
    /// <summary>Names the config folder and log in the test folder.</summary>
    public string Name { get; init; } = "baresip";

    /// <summary>The user part of the Request-URI, e.g. a tracking number.</summary>
    public required string User { get; init; }

    /// <summary>"127.0.0.1:5060": where the INVITE goes (the URI's host and port).</summary>
    public required string Remote { get; init; }

    /// <summary>UDP, or TCP (<c>;transport=tcp</c> in the dialled URI).</summary>
    public SippTransport Transport { get; init; } = SippTransport.Udp;

    /// <summary>The WAV baresip plays (module aufile): 8 kHz, mono, 16-bit PCM. baresip hangs up when it ends.</summary>
    public required string Wav { get; init; }

    /// <summary>The only codec baresip offers.</summary>
    public G711Law Law { get; init; } = G711Law.MuLaw;

    /// <summary>The longest the run may take; baresip's own quit timer (-t) is set to it, and it is killed a little after.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(15);
}

/// <summary>What one baresip run did: its output, its SIP trace (-s), and the audio its sndfile module dumped.</summary>
public sealed record BaresipResult(
    string CommandLine,
    int ExitCode,
    string Output,
    IReadOnlyList<TracedSipMessage> Messages,
    string? SentAudioPath,
    string? HeardAudioPath)
{
    /// <summary>baresip printed "Call established" (it got a 2xx to its INVITE and sent the ACK).</summary>
    public bool Established => Output.Contains("Call established: ", StringComparison.Ordinal);

    /// <summary>baresip printed that the call "terminated" (either side hung up).</summary>
    public bool Terminated => Output.Contains(" terminated (duration: ", StringComparison.Ordinal);

    /// <summary>The lines baresip printed as errors (in red): a WAV it could not open, a module that failed, ….</summary>
    public IReadOnlyList<string> Errors =>
        Output.Split('\n').Where(l => l.Contains("\x1b[31m", StringComparison.Ordinal)).Select(l => l.Replace("\x1b[31m", string.Empty, StringComparison.Ordinal).Replace("\x1b[;m", string.Empty, StringComparison.Ordinal)).ToArray();

    /// <summary>The Call-ID of baresip's INVITE; null when it sent none.</summary>
    public string? CallId => Messages.FirstOrDefault(m => !m.Received && !m.IsResponse && m.Method == "INVITE")?.CallId;

    /// <summary>A failure report: command, exit code, the traced start lines, output tail, and the engine's log tail when given.</summary>
    public string Describe(EngineProcess? engine = null)
    {
        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"baresip exited {ExitCode}; established {Established}, terminated {Terminated}")
            .AppendLine(CultureInfo.InvariantCulture, $"$ {CommandLine}")
            .AppendLine("--- baresip SIP trace (start lines) ---");
        foreach (var message in Messages)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{(message.Received ? "<<<" : ">>>")} {message.StartLine} ({message.Header("CSeq")})");
        }

        text.AppendLine("--- baresip output (tail) ---").AppendLine(CapturedProcess.TailOf(Output, 40));
        if (engine is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"--- engine log (tail; exit code {engine.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "running"}; folder {engine.Directory}) ---")
                .AppendLine(engine.LogTail(40));
        }

        return text.ToString();
    }
}

/// <summary>
/// Debian's baresip (1.0.0 in bookworm) as a headless softphone caller. Each run gets a private config
/// folder (<c>baresip -f DIR</c>) holding:
/// <list type="bullet">
/// <item><c>config</c>: <c>net_interface 127.0.0.1</c> (without it the SDP carries the host's eth0 address and
/// RTP never reaches a loopback peer), <c>sip_listen 127.0.0.1:&lt;free port&gt;</c>, <c>rtp_ports</c> in a private
/// range, <c>audio_source aufile,&lt;wav&gt;</c>, <c>audio_player aubridge,nil</c> (a sink that needs no sound card;
/// Debian's aufile has no player before 1.1), the modules g711, aufile, aubridge, sndfile (dumps what baresip
/// encoded and decoded as WAVs under <c>snd_path</c>), account and menu (runs the <c>-e</c> commands and hangs
/// up when the aufile source reaches its end);</item>
/// <item><c>accounts</c>: <c>&lt;sip:caller@127.0.0.1&gt;;regint=0;audio_codecs=PCMU</c> (no registration, one codec).</item>
/// </list>
/// baresip 1.0 cuts config values at 127 characters, so it sees its folder (in the test folder) through a
/// short symbolic link under the temporary folder, and plays a copy of the WAV from there.
/// baresip runs with <c>-s</c> (SIP trace to stdout), <c>-e "/dial URI"</c> and <c>-t</c> (quit timer as a guard).
/// The harness waits until the call has terminated (and the answer to the BYE, when baresip sent one, is in),
/// then sends SIGTERM to baresip's own pid, and SIGKILL if it does not exit.
/// </summary>
public static partial class Baresip
{
    public static bool IsInstalled => ExternalTool.IsInstalled("baresip");

    /// <summary>Runs one call to the end and returns what happened.</summary>
    public static async Task<BaresipResult> CallAsync(TestDirectory directory, BaresipOptions options)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(options);
        if (!IsInstalled)
        {
            throw new InvalidOperationException("'baresip' is not installed (not on PATH). Install the Debian package 'baresip' (tests/run does).");
        }

        var name = $"{options.Name}-{Guid.NewGuid().ToString("N")[..6]}";
        var configDirectory = directory.SubDirectory(name);
        // baresip 1.0 cuts config values (device names, paths) at 127 characters without a warning, and
        // test folders are long: it gets its folder through a short symbolic link, removed after the run.
        var link = Path.Combine(Path.GetTempPath(), $"baresip-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateSymbolicLink(link, configDirectory);
        try
        {
            var wav = Path.Combine(link, "source.wav");
            File.Copy(options.Wav, wav);
            var soundDirectory = Path.Combine(link, "audio");
            Directory.CreateDirectory(soundDirectory);
            if (Path.Combine(soundDirectory, "dump-2026-01-01-00-00-00-enc.wav").Length > 100)
            {
                throw new InvalidOperationException($"The temporary folder is too deep for baresip's config values ({link}); set TMPDIR to a short path.");
            }

            return await RunAsync(directory, options, name, link, wav, soundDirectory).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(link);
        }
    }

    private static async Task<BaresipResult> RunAsync(TestDirectory directory, BaresipOptions options, string name, string configDirectory, string wav, string soundDirectory)
    {
        var sipPort = FreePorts.Next();
        // RTP and RTCP (port + 1); baresip picks its port at random inside the range.
        var rtpPorts = FreePorts.NextRange(8);
        await File.WriteAllTextAsync(Path.Combine(configDirectory, "config"), Config(sipPort, rtpPorts, wav, soundDirectory)).ConfigureAwait(false);
        var codec = options.Law == G711Law.ALaw ? "PCMA" : "PCMU";
        await File.WriteAllTextAsync(Path.Combine(configDirectory, "accounts"), $"<sip:caller@127.0.0.1>;regint=0;audio_codecs={codec}\n").ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(configDirectory, "contacts"), string.Empty).ConfigureAwait(false);

        var uri = $"sip:{options.User}@{options.Remote}" + (options.Transport == SippTransport.Tcp ? ";transport=tcp" : string.Empty);
        var quitAfter = (int)Math.Ceiling(options.Timeout.TotalSeconds);
        using var process = CapturedProcess.Start(
            "baresip",
            ["-f", configDirectory, "-s", "-t", quitAfter.ToString(CultureInfo.InvariantCulture), "-e", $"/dial {uri}"],
            directory.Path,
            directory.File($"{name}.log"));

        var deadline = DateTime.UtcNow + options.Timeout + TimeSpan.FromSeconds(5);
        while (!process.HasExited && DateTime.UtcNow < deadline && !CallIsOver(process.Output, options.Remote))
        {
            await Task.Delay(50).ConfigureAwait(false);
        }

        await process.SignalAsync("TERM").ConfigureAwait(false);
        if (!await process.WaitForExitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false))
        {
            process.Kill();
        }

        var exitCode = await process.WaitForExitAsync().ConfigureAwait(false);
        var output = process.Output;
        return new BaresipResult(
            process.CommandLine,
            exitCode,
            output,
            ParseTrace(output, options.Remote),
            Dump(directory.Path, name, "-enc.wav"),
            Dump(directory.Path, name, "-dec.wav"));
    }

    /// <summary>
    /// baresip's -s trace: each message is printed as a line "#" (in colour), a line "UDP|TCP src -> dst", the
    /// message, and a colour reset. A message is received when its source is <paramref name="remote"/>.
    /// </summary>
    public static IReadOnlyList<TracedSipMessage> ParseTrace(string output, string remote)
    {
        ArgumentNullException.ThrowIfNull(output);
        var messages = new List<TracedSipMessage>();
        foreach (Match entry in TraceEntry().Matches(output.Replace("\r\n", "\n", StringComparison.Ordinal)))
        {
            var lines = entry.Groups["message"].Value.Split('\n').ToList();
            var blank = lines.FindIndex(l => l.Length == 0);
            if (blank < 0)
            {
                blank = lines.Count;
            }

            var head = string.Join("\r\n", lines.Take(blank));
            var body = string.Join("\r\n", lines.Skip(blank + 1)).TrimEnd('\r', '\n');
            var received = entry.Groups["source"].Value == remote;
            messages.Add(new TracedSipMessage(received, head + "\r\n\r\n" + (body.Length > 0 ? body + "\r\n" : string.Empty)));
        }

        return messages;
    }

    private static bool CallIsOver(string output, string remote)
    {
        var ended = output.Contains(" terminated (duration: ", StringComparison.Ordinal) || output.Contains("Call failed", StringComparison.Ordinal);
        if (!ended)
        {
            return false;
        }

        // When baresip hung up, wait for the answer to its BYE as well.
        var messages = ParseTrace(output, remote);
        var bye = messages.LastOrDefault(m => !m.Received && !m.IsResponse && m.Method == "BYE");
        return bye is null || messages.Any(m => m.Received && m.IsResponse && m.Method == "BYE" && m.Header("CSeq") == bye.Header("CSeq"));
    }

    /// <summary>A WAV the sndfile module wrote, by its path in the test folder (the link is gone by then).</summary>
    private static string? Dump(string testDirectory, string name, string suffix) =>
        Directory.EnumerateFiles(Path.Combine(testDirectory, name, "audio")).Where(f => f.EndsWith(suffix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).FirstOrDefault();

    private static string Config(int sipPort, int rtpPorts, string wav, string soundDirectory) =>
        string.Join('\n',
            "poll_method\tepoll",
            "net_interface\t127.0.0.1",
            $"sip_listen\t127.0.0.1:{sipPort.ToString(CultureInfo.InvariantCulture)}",
            "sip_trans_def\tudp",
            $"rtp_ports\t{rtpPorts.ToString(CultureInfo.InvariantCulture)}-{(rtpPorts + 7).ToString(CultureInfo.InvariantCulture)}",
            "rtp_timeout\t0",
            $"audio_source\taufile,{wav}",
            "audio_player\taubridge,nil",
            "audio_alert\taubridge,nil",
            "ausrc_srate\t8000",
            "auplay_srate\t8000",
            "ausrc_channels\t1",
            "auplay_channels\t1",
            $"snd_path\t{soundDirectory}",
            "module_path\t/usr/lib/baresip/modules",
            "module\tg711.so",
            "module\taufile.so",
            "module\taubridge.so",
            "module\tsndfile.so",
            "module_app\taccount.so",
            "module_app\tmenu.so",
            string.Empty);

    [GeneratedRegex(@"\x1b\[[0-9;]*m#\n(?<transport>UDP|TCP|TLS) (?<source>\S+) -> (?<destination>\S+)\n(?<message>(?:(?!\x1b\[;m).*\n)*?)\x1b\[;m")]
    private static partial Regex TraceEntry();
}
