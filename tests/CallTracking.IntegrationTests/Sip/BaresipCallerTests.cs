using CallTracking.IntegrationTests.Audio;
using CallTracking.IntegrationTests.Infrastructure;
using CallTracking.IntegrationTests.Media;
using Xunit.Abstractions;

namespace CallTracking.IntegrationTests.Sip;

/// <summary>
/// A real softphone as the caller: Debian's baresip dials a tracking number, plays speech from a WAV through its
/// aufile source and hangs up when the WAV ends. The engine answers, answers the BYE, and records what baresip
/// said on the left channel of the Ogg Opus file.
/// </summary>
/// <remarks>
/// The correlation thresholds are those of <see cref="RecordingTests"/>. Like those, they hold on an idle machine
/// (r = 0.994, one lag for the whole call) and can fail under heavy CPU load: baresip's RTP stays sample-exact by
/// timestamp, but late arrivals make the engine's adaptive playout insert 40–100 ms, and the recording follows playout.
/// </remarks>
[Collection(SippCollection.Name)]
public sealed class BaresipCallerTests(ITestOutputHelper output)
{
    private const string Phrase = "Hello, I would like to book a plumber for tomorrow morning.";

    [Theory]
    [InlineData(SippTransport.Udp, G711Law.MuLaw)]
    [InlineData(SippTransport.Tcp, G711Law.ALaw)]
    public async Task Baresip_call_with_a_wav_is_answered_ends_cleanly_and_is_recorded(SippTransport transport, G711Law law)
    {
        var directory = TestDirectory.Create($"{nameof(Baresip_call_with_a_wav_is_answered_ends_cleanly_and_is_recorded)}-{transport}-{law}");
        var caller = await MediaCalls.CallerAudioAsync(directory, Phrase);
        var wav = directory.File("baresip-source.wav");
        Wav.Write(wav, caller);
        await using var engine = await SippAgainstEngine.StartEngineAsync(directory);

        var call = await Baresip.CallAsync(directory, new BaresipOptions
        {
            User = EngineConfigs.TrackedNumber,
            Remote = $"127.0.0.1:{engine.SipPort}",
            Transport = transport,
            Wav = wav,
            Law = law,
            Timeout = caller.Duration + TimeSpan.FromSeconds(8),
        });

        Assert.True(call.Errors.Count == 0, call.Describe(engine));

        // baresip played the WAV as it is: its sndfile module's dump of what went into the encoder starts with it.
        Assert.True(call.SentAudioPath is not null, call.Describe(engine));
        var played = Wav.ReadMono(call.SentAudioPath);
        Assert.True(played.Length >= caller.Length && played.Samples.AsSpan(0, caller.Length).SequenceEqual(caller.Samples), $"{call.SentAudioPath} does not start with the WAV");

        // Answered, over the transport asked for, with the one codec offered.
        Assert.True(call.Established, call.Describe(engine));
        var callId = call.CallId;
        Assert.True(callId is not null, call.Describe(engine));
        var invite = call.Messages.First(m => !m.Received && m.Method == "INVITE" && !m.IsResponse);
        Assert.Contains($"SIP/2.0/{(transport == SippTransport.Tcp ? "TCP" : "UDP")} ", invite.Header("Via"), StringComparison.Ordinal);
        var ok = call.Messages.FirstOrDefault(m => m.Received && m.Method == "INVITE" && m.StatusCode == 200);
        Assert.True(ok is not null, call.Describe(engine));
        Assert.Contains(ok.SdpLines, l => l.StartsWith("m=audio ", StringComparison.Ordinal) && l.Contains($" RTP/AVP {G711.PayloadType(law)}", StringComparison.Ordinal));

        // baresip hung up when its WAV ended; the engine answered the BYE with 200 and logged why the call ended.
        Assert.True(call.Terminated, call.Describe(engine));
        var bye = call.Messages.SingleOrDefault(m => !m.Received && !m.IsResponse && m.Method == "BYE");
        Assert.True(bye is not null, call.Describe(engine));
        Assert.Contains(call.Messages, m => m.Received && m.StatusCode == 200 && m.Header("CSeq") == bye.Header("CSeq"));
        Assert.DoesNotContain(call.Messages, m => m.Received && !m.IsResponse && m.Method == "BYE");
        await SippAgainstEngine.WaitForLogAsync(engine, $"Call {callId} ended: CallerHungUp");

        // The recording: valid Ogg Opus, two channels, the left one is what baresip played.
        var ready = await MediaCalls.WaitForRecordingAsync(engine, callId);
        Assert.Equal(MediaCalls.ExpectedRecordingPath(engine, callId, DateTime.UtcNow.Date), ready.Path);
        var packets = (caller.Length + 159) / 160;
        Assert.True(ready.Packets >= packets && ready.Lost == 0, $"{ready} (the WAV is {packets} packets)");
        var info = await OpusFiles.InfoAsync(ready.Path);
        Assert.DoesNotContain("WARNING", info, StringComparison.OrdinalIgnoreCase);
        var recording = await OpusFiles.DecodeStereoAsync(ready.Path);
        Assert.InRange(recording.Left.Duration.TotalSeconds, ready.Seconds - 0.05, ready.Seconds + 0.05);
        Assert.Equal(recording.Left.Length, recording.Right.Length);

        var sent = Levels.ActiveSpan(caller)!.Value;
        var heard = Levels.ActiveSpan(recording.Left);
        Assert.True(heard is not null, "The caller's channel is silent.");
        var sentLength = sent.End - sent.Start;
        var heardLength = heard.Value.End - heard.Value.Start;
        var error = (heardLength - sentLength).TotalSeconds / sentLength.TotalSeconds;
        var match = MediaCalls.ChunkedAlign(caller, recording.Left, TimeSpan.FromSeconds(2));
        output.WriteLine($"{transport} {law}: played {caller}, active {sentLength.TotalMilliseconds:0} ms; recorded {recording.Left}, active {heardLength.TotalMilliseconds:0} ms ({error:+0.00%;-0.00%}); {match}; right {Levels.Dbfs(recording.Right):0.0} dBFS; {ready}");

        Assert.True(Math.Abs(error) <= 0.02, $"active audio {heardLength.TotalMilliseconds:0} ms recorded for {sentLength.TotalMilliseconds:0} ms played");
        Assert.True(match.Coefficient >= 0.9, match.ToString());
        Assert.True(match.LagSpread <= TimeSpan.FromMilliseconds(60), match.ToString());
        Assert.True(match.Whole.Lag >= 0, match.ToString());
        // The engine sends the caller nothing yet (no prompts in this config): its channel is silence.
        Assert.True(Levels.IsSilent(recording.Right), $"right channel peaks at {Levels.WindowLevels(recording.Right, TimeSpan.FromMilliseconds(20)).Max():0.0} dBFS");
    }
}
