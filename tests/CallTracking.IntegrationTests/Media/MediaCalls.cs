using System.Globalization;
using System.Text.RegularExpressions;
using CallTracking.IntegrationTests.Audio;
using CallTracking.IntegrationTests.Infrastructure;
using CallTracking.IntegrationTests.Sip;

namespace CallTracking.IntegrationTests.Media;

/// <summary>What the engine logged when a call's media stopped (the "recording ready" line).</summary>
public sealed record RecordingReady(string CallId, string Path, double Seconds, long Bytes, long Packets, long Lost, double JitterMs);

/// <summary>A recording against what was sent, whole and chunk by chunk (<see cref="MediaCalls.ChunkedAlign"/>).</summary>
public sealed record ChunkedMatch(Alignment Whole, double Coefficient, IReadOnlyList<int> Lags, int SampleRate)
{
    /// <summary>How far apart the chunks' lags are: the playout adjustments made during the call.</summary>
    public TimeSpan LagSpread => Lags.Count == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((double)(Lags.Max() - Lags.Min()) / SampleRate);

    public override string ToString() =>
        $"whole: {Whole}; by chunk: r = {Coefficient:0.0000}, lags {string.Join(" ", Lags.Select(l => (1000.0 * l / SampleRate).ToString("0", System.Globalization.CultureInfo.InvariantCulture)))} ms";
}

/// <summary>Shared steps of the media tests: the engine's media log lines, where a recording must be, sipp trace times.</summary>
internal static partial class MediaCalls
{
    /// <summary>The engine log's time stamp format (SimpleConsole, UTC).</summary>
    private const string LogTimeFormat = "yyyy-MM-dd HH:mm:ss.fff";

    /// <summary>A G.711 pcap of <paramref name="audio"/> in 20 ms packets, the way sipp plays it.</summary>
    public static string WritePcap(TestDirectory directory, PcmAudio audio, G711Law law, string name = "caller")
    {
        var pcap = directory.File($"{name}.pcap");
        RtpPcapWriter.Write(pcap, audio, law);
        return pcap;
    }

    /// <summary>Speech from espeak-ng, or the sweep when espeak-ng is not there (README: the fallback).</summary>
    public static async Task<PcmAudio> CallerAudioAsync(TestDirectory directory, string text = TestAudio.CallerPhrase) =>
        TestAudio.IsSpeechAvailable
            ? await TestAudio.SpeechAsync(text, directory.Path, "caller")
            : TestAudio.Sweep(TimeSpan.FromSeconds(4));

    /// <summary>Waits for the engine's "recording ready" line of <paramref name="callId"/> and parses it.</summary>
    public static async Task<RecordingReady> WaitForRecordingAsync(EngineProcess engine, string callId, TimeSpan? timeout = null)
    {
        await SippAgainstEngine.WaitForLogAsync(engine, $"Call {callId}: recording ready at ", timeout ?? TimeSpan.FromSeconds(5));
        var match = RecordingReadyLine().Matches(engine.Log).Single(m => m.Groups["id"].Value == callId);
        return new RecordingReady(
            callId,
            match.Groups["path"].Value,
            double.Parse(match.Groups["seconds"].Value, CultureInfo.InvariantCulture),
            long.Parse(match.Groups["bytes"].Value, CultureInfo.InvariantCulture),
            long.Parse(match.Groups["packets"].Value, CultureInfo.InvariantCulture),
            long.Parse(match.Groups["lost"].Value, CultureInfo.InvariantCulture),
            double.Parse(match.Groups["jitter"].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>The digits of the engine's "Call &lt;id&gt;: DTMF &lt;digit&gt; (&lt;ms&gt; ms)" lines, in log order.</summary>
    public static string LoggedDigits(EngineProcess engine, string callId) =>
        string.Concat(DtmfLine().Matches(engine.Log).Where(m => m.Groups["id"].Value == callId).Select(m => m.Groups["digit"].Value));

    /// <summary>The spec: <c>&lt;Data:Path&gt;/recordings/yyyy/MM/dd/&lt;call-id&gt;.opus</c>, characters other than letters, digits, - . _ @ made _.</summary>
    public static string ExpectedRecordingPath(EngineProcess engine, string callId, DateTime utcDay)
    {
        var safe = Regex.Replace(callId, "[^A-Za-z0-9._@-]", "_");
        return System.IO.Path.Combine(
            engine.Directory.Path, "data", "recordings",
            utcDay.ToString("yyyy", CultureInfo.InvariantCulture),
            utcDay.ToString("MM", CultureInfo.InvariantCulture),
            utcDay.ToString("dd", CultureInfo.InvariantCulture),
            safe + ".opus");
    }

    /// <summary>When the engine logged the first line containing <paramref name="text"/> (its clock, UTC); null when none.</summary>
    public static DateTime? LoggedAt(EngineProcess engine, string text)
    {
        foreach (var line in engine.Log.Split('\n'))
        {
            if (line.Contains(text, StringComparison.Ordinal) && line.Length >= LogTimeFormat.Length
                && DateTime.TryParseExact(line[..LogTimeFormat.Length], LogTimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at))
            {
                return at;
            }
        }

        return null;
    }

    /// <summary>
    /// sipp's -trace_msg entries with their time stamps ("----- 2026-01-01 12:00:00.123456" lines), as
    /// (time, sent or received, start line, CSeq). Times are sipp's local clock: compare them only with each other.
    /// </summary>
    public static IReadOnlyList<(DateTime Time, bool Received, string StartLine, string CSeq)> TimedTrace(string trace)
    {
        var entries = new List<(DateTime, bool, string, string)>();
        foreach (Match entry in TraceEntry().Matches(trace.Replace("\r\n", "\n", StringComparison.Ordinal)))
        {
            var time = DateTime.ParseExact(entry.Groups["time"].Value, "yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
            var cseq = Regex.Match(entry.Groups["message"].Value, @"^CSeq:\s*(.+)$", RegexOptions.Multiline).Groups[1].Value.Trim();
            entries.Add((time, entry.Groups["kind"].Value == "received", entry.Groups["start"].Value.Trim(), cseq));
        }

        return entries;
    }

    /// <summary>
    /// How well <paramref name="candidate"/> (a recording) holds <paramref name="reference"/> (what was sent), chunk by
    /// chunk: the whole is aligned first (<see cref="Correlation.Align(PcmAudio, PcmAudio, TimeSpan)"/>), then every
    /// active chunk of the reference is aligned again within ±<paramref name="slack"/> of that lag. A playout buffer
    /// may add or drop a 20 ms frame in a quiet moment; that moves the lag of what follows by one frame and ruins the
    /// single-lag coefficient without losing anything the caller said. Lost or garbled audio still shows here: the
    /// coefficient (weighted by each chunk's energy) falls, or the lags spread.
    /// </summary>
    public static ChunkedMatch ChunkedAlign(PcmAudio reference, PcmAudio candidate, TimeSpan maxLag, TimeSpan? chunk = null, TimeSpan? slack = null)
    {
        var whole = Correlation.Align(reference, candidate, maxLag);
        var size = (int)((chunk ?? TimeSpan.FromSeconds(1)).TotalSeconds * reference.SampleRate);
        var window = (int)((slack ?? TimeSpan.FromMilliseconds(100)).TotalSeconds * reference.SampleRate);
        double weighted = 0, energy = 0;
        var lags = new List<int>();
        for (var start = 0; start + (size / 2) <= reference.Length; start += size)
        {
            var piece = reference.Samples.AsSpan(start, Math.Min(size, reference.Length - start));
            var from = start + whole.Lag;
            if (Levels.Dbfs(piece) < -40 || from < 0 || from >= candidate.Length)
            {
                continue;
            }

            var (lag, coefficient) = Correlation.Align(piece, candidate.Samples.AsSpan(from), window);
            var e = Levels.Rms(piece);
            e *= e * piece.Length;
            weighted += coefficient * e;
            energy += e;
            lags.Add(whole.Lag + lag);
        }

        return new ChunkedMatch(whole, energy > 0 ? weighted / energy : 0, lags, reference.SampleRate);
    }

    [GeneratedRegex(@"Call (?<id>\S+): recording ready at (?<path>.+?), (?<seconds>[0-9.]+) s, (?<bytes>\d+) bytes; RTP (?<packets>\d+) received, (?<lost>-?\d+) lost, jitter (?<jitter>[0-9.]+) ms")]
    private static partial Regex RecordingReadyLine();

    [GeneratedRegex(@"Call (?<id>\S+): DTMF (?<digit>[0-9*#A-D]) \((?<ms>\d+) ms\)")]
    private static partial Regex DtmfLine();

    [GeneratedRegex(@"^-+ (?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6})\n\w+ message (?<kind>sent|received)[^\n]*\n\n(?<start>[^\n]*)\n(?<message>(?:[^\n]+\n)*)", RegexOptions.Multiline)]
    private static partial Regex TraceEntry();
}
