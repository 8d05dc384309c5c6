using CallTracking.IntegrationTests.Audio;
using CallTracking.IntegrationTests.Infrastructure;
using CallTracking.IntegrationTests.Sip;
using Xunit.Abstractions;

namespace CallTracking.IntegrationTests.Media;

/// <summary>
/// The engine records what the caller said: sipp plays known speech as G.711 RTP into an answered call, hangs
/// up, and the engine's Ogg Opus file decodes (opusdec) to that speech on the left channel and silence on the right.
/// </summary>
[Collection(SippCollection.Name)]
public sealed class RecordingTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(G711Law.MuLaw)]
    [InlineData(G711Law.ALaw)]
    public async Task Recording_left_channel_is_what_the_caller_said_and_right_is_silent(G711Law law)
    {
        var directory = TestDirectory.Create($"{nameof(Recording_left_channel_is_what_the_caller_said_and_right_is_silent)}-{law}");
        var caller = await MediaCalls.CallerAudioAsync(directory);
        var pcap = MediaCalls.WritePcap(directory, caller, law);
        await using var engine = await SippAgainstEngine.StartEngineAsync(directory);
        var day = DateTime.UtcNow.Date;

        var uac = await Sipp.RunAsync(directory, SippAgainstEngine.At(engine, new SippOptions
        {
            Name = "uac",
            Scenario = SippAudio.PlayAudioScenario(law),
            Service = EngineConfigs.TrackedNumber,
            Calls = 1,
            Keys = SippAudio.PlayAudioKeys(pcap, caller.Duration + TimeSpan.FromMilliseconds(500)),
            Timeout = caller.Duration + TimeSpan.FromSeconds(10),
        }));
        SippAgainstEngine.AssertAllCallsSucceeded(uac, 1, engine);
        var callId = uac.Messages[0].CallId!;
        var ready = await MediaCalls.WaitForRecordingAsync(engine, callId);

        // Where the spec says (a call that straddles midnight UTC is dated by its start).
        Assert.Contains(ready.Path, new[] { MediaCalls.ExpectedRecordingPath(engine, callId, day), MediaCalls.ExpectedRecordingPath(engine, callId, DateTime.UtcNow.Date) });
        Assert.True(File.Exists(ready.Path), ready.Path);
        Assert.Equal(new FileInfo(ready.Path).Length, ready.Bytes);
        var packets = (caller.Length + 159) / 160;
        Assert.True(ready.Packets == packets && ready.Lost == 0, $"{ready} (sent {packets})");

        var info = await OpusFiles.InfoAsync(ready.Path);
        Assert.DoesNotContain("WARNING", info, StringComparison.OrdinalIgnoreCase);
        var recording = await OpusFiles.DecodeStereoAsync(ready.Path);
        Assert.InRange(recording.Left.Duration.TotalSeconds, ready.Seconds - 0.05, ready.Seconds + 0.05);

        var sent = Levels.ActiveSpan(caller)!.Value;
        var heard = Levels.ActiveSpan(recording.Left);
        Assert.True(heard is not null, "The caller's channel is silent.");
        var sentLength = sent.End - sent.Start;
        var heardLength = heard.Value.End - heard.Value.Start;
        var error = (heardLength - sentLength).TotalSeconds / sentLength.TotalSeconds;
        var match = MediaCalls.ChunkedAlign(caller, recording.Left, TimeSpan.FromSeconds(2));
        output.WriteLine($"{law}: sent {caller}, active {sentLength.TotalMilliseconds:0} ms; recorded {recording.Left}, active {heardLength.TotalMilliseconds:0} ms ({error:+0.00%;-0.00%}); {match}; right {Levels.Dbfs(recording.Right):0.0} dBFS; {ready}");

        Assert.True(Math.Abs(error) <= 0.02, $"active audio {heardLength.TotalMilliseconds:0} ms recorded for {sentLength.TotalMilliseconds:0} ms sent");
        Assert.True(match.Coefficient >= 0.9, match.ToString());
        Assert.True(match.LagSpread <= TimeSpan.FromMilliseconds(60), match.ToString());
        Assert.True(match.Whole.Lag >= 0, match.ToString());
        Assert.True(Levels.IsSilent(recording.Right), $"right channel peaks at {Levels.WindowLevels(recording.Right, TimeSpan.FromMilliseconds(20)).Max():0.0} dBFS");
    }

    [Fact]
    public async Task Hold_reinvite_while_the_caller_speaks_keeps_the_call_and_the_recording_whole()
    {
        var directory = TestDirectory.Create();
        var caller = await MediaCalls.CallerAudioAsync(directory);
        var pcap = MediaCalls.WritePcap(directory, caller, G711Law.MuLaw);
        await using var engine = await SippAgainstEngine.StartEngineAsync(directory, "--Media:InactivitySeconds=5");

        // Hold (a=sendonly) 2 s into the speech; the caller keeps talking; BYE after the speech ends.
        var hold = TimeSpan.FromSeconds(2);
        var uac = await Sipp.RunAsync(directory, SippAgainstEngine.At(engine, new SippOptions
        {
            Name = "uac",
            Scenario = "uac_pcmu_play_audio_hold.xml",
            Service = EngineConfigs.TrackedNumber,
            Calls = 1,
            Keys = new Dictionary<string, string>
            {
                ["audio_pcap"] = pcap,
                ["hold_ms"] = ((int)hold.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["rest_ms"] = ((int)(caller.Duration - hold + TimeSpan.FromMilliseconds(500)).TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            Timeout = caller.Duration + TimeSpan.FromSeconds(10),
        }));

        SippAgainstEngine.AssertAllCallsSucceeded(uac, 1, engine);
        var held = SippAgainstEngine.Single(uac, m => m.Received && m.StatusCode == 200 && m.Header("CSeq") == "2 INVITE");
        Assert.Contains("a=recvonly", held.SdpLines);
        var callId = uac.Messages[0].CallId!;
        await SippAgainstEngine.WaitForLogAsync(engine, $"Call {callId} ended: CallerHungUp");
        var ready = await MediaCalls.WaitForRecordingAsync(engine, callId);
        Assert.DoesNotContain("no RTP for", engine.Log, StringComparison.Ordinal);

        var recording = await OpusFiles.DecodeStereoAsync(ready.Path);
        var sent = Levels.ActiveSpan(caller)!.Value;
        var heard = Levels.ActiveSpan(recording.Left)!.Value;
        var error = ((heard.End - heard.Start) - (sent.End - sent.Start)).TotalSeconds / (sent.End - sent.Start).TotalSeconds;
        var match = MediaCalls.ChunkedAlign(caller, recording.Left, TimeSpan.FromSeconds(2));
        output.WriteLine($"held at {hold.TotalSeconds:0.0} s: recorded {recording.Left}, active audio {error:+0.00%;-0.00%} of what was sent; {match}; {ready}");

        var packets = (caller.Length + 159) / 160;
        Assert.True(ready.Packets == packets && ready.Lost == 0, $"{ready} (sent {packets})");
        Assert.True(Math.Abs(error) <= 0.02, $"active audio off by {error:P2}");
        Assert.True(match.Coefficient >= 0.9, match.ToString());
        Assert.True(match.LagSpread <= TimeSpan.FromMilliseconds(60), match.ToString());
    }
}
