using CallTracking.IntegrationTests.Audio;
using CallTracking.IntegrationTests.Infrastructure;
using CallTracking.IntegrationTests.Sip;
using Xunit.Abstractions;

namespace CallTracking.IntegrationTests.Media;

/// <summary>
/// A busy machine stalls the engine now and then (CPU starvation, a long GC, a paused VM for a moment). The RTP
/// that arrives meanwhile waits in the socket; the recording must still hold all of it, as long as the call lasted.
/// </summary>
[Collection(SippCollection.Name)]
public sealed class StallTests(ITestOutputHelper output)
{
    // SIGSTOP for 400 ms mid-call. MediaWorker.Run catches the missed ticks up, so the recording is as long as the
    // call; the RTP queued in the socket meanwhile arrives as one burst, which the jitter buffer reads as jitter (it
    // grows, then shrinks by dropping frames: playout shifts and clips). The recording does not take playout: its
    // RecordingTimeline places every packet by RTP timestamp, so the burst lands where it belongs.
    [Fact]
    public async Task An_engine_stalled_for_400_ms_mid_call_still_records_all_the_caller_said()
    {
        var directory = TestDirectory.Create();
        var caller = await MediaCalls.CallerAudioAsync(directory);
        var pcap = MediaCalls.WritePcap(directory, caller, G711Law.MuLaw);
        await using var engine = await SippAgainstEngine.StartEngineAsync(directory);

        var uacRun = Sipp.RunAsync(directory, SippAgainstEngine.At(engine, new SippOptions
        {
            Name = "uac",
            Scenario = SippAudio.PlayAudioScenario(G711Law.MuLaw),
            Service = EngineConfigs.TrackedNumber,
            Calls = 1,
            Keys = SippAudio.PlayAudioKeys(pcap, caller.Duration + TimeSpan.FromMilliseconds(500)),
            Timeout = caller.Duration + TimeSpan.FromSeconds(10),
        }));
        await SippAgainstEngine.WaitForLogAsync(engine, "@127.0.0.1 answered");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await engine.SignalAsync("STOP");
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(400));
        }
        finally
        {
            await engine.SignalAsync("CONT");
        }

        var uac = await uacRun;
        SippAgainstEngine.AssertAllCallsSucceeded(uac, 1, engine);
        var callId = uac.Messages[0].CallId!;
        var ready = await MediaCalls.WaitForRecordingAsync(engine, callId);
        var talk = (MediaCalls.LoggedAt(engine, $"Call {callId} ended") - MediaCalls.LoggedAt(engine, $"Call {callId} answered"))!.Value;
        var recording = await OpusFiles.DecodeStereoAsync(ready.Path);
        var sent = Levels.ActiveSpan(caller)!.Value;
        var heard = Levels.ActiveSpan(recording.Left)!.Value;
        var error = ((heard.End - heard.Start) - (sent.End - sent.Start)).TotalSeconds / (sent.End - sent.Start).TotalSeconds;
        var match = MediaCalls.ChunkedAlign(caller, recording.Left, TimeSpan.FromSeconds(2));
        output.WriteLine($"talk {talk.TotalMilliseconds:0} ms, recorded {recording.Left}; active audio {error:+0.00%;-0.00%} of what was sent; {match}; {ready}");

        var packets = (caller.Length + 159) / 160;
        Assert.True(ready.Packets == packets && ready.Lost == 0, $"{ready} (sent {packets})");
        Assert.True(Math.Abs((recording.Left.Duration - talk).TotalMilliseconds) <= 100, $"the call lasted {talk.TotalSeconds:0.00} s, the recording {recording.Left.Duration.TotalSeconds:0.00} s");
        Assert.True(Math.Abs(error) <= 0.02, $"active audio off by {error:P2}");
        Assert.True(match.Coefficient >= 0.9, match.ToString());
        Assert.True(match.LagSpread <= TimeSpan.FromMilliseconds(60), match.ToString());
    }
}
