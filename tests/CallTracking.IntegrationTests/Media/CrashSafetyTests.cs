using CallTracking.IntegrationTests.Audio;
using CallTracking.IntegrationTests.Infrastructure;
using CallTracking.IntegrationTests.Sip;
using Xunit.Abstractions;

namespace CallTracking.IntegrationTests.Media;

/// <summary>
/// The recording is written while the call goes (a page a second): an engine killed mid-call (SIGKILL, no
/// clean-up) leaves a file on disk that decodes to the call up to about the moment it died.
/// </summary>
[Collection(SippCollection.Name)]
public sealed class CrashSafetyTests(ITestOutputHelper output)
{
    private const string LongPhrase = TestAudio.CallerPhrase + " Could someone come before ten? " + TestAudio.GreetingPhrase;

    [Fact]
    public async Task Engine_killed_mid_call_leaves_a_recording_that_decodes_to_within_a_second_and_a_half_of_the_kill()
    {
        var directory = TestDirectory.Create();
        var caller = await MediaCalls.CallerAudioAsync(directory, LongPhrase);
        Assert.True(caller.Duration >= TimeSpan.FromSeconds(7), caller.ToString());
        var pcap = MediaCalls.WritePcap(directory, caller, G711Law.MuLaw);
        await using var engine = await SippAgainstEngine.StartEngineAsync(directory);

        // In the background: sipp is killed when the test is done with it (it waits for a BYE answer that never comes).
        await using var uac = await Sipp.StartAsync(directory, SippAgainstEngine.At(engine, new SippOptions
        {
            Name = "uac",
            Scenario = SippAudio.PlayAudioScenario(G711Law.MuLaw),
            Service = EngineConfigs.TrackedNumber,
            Calls = 1,
            Keys = SippAudio.PlayAudioKeys(pcap, caller.Duration + TimeSpan.FromMilliseconds(500)),
            Timeout = caller.Duration + TimeSpan.FromSeconds(8),
        }));

        await SippAgainstEngine.WaitForLogAsync(engine, "@127.0.0.1 answered");
        var answeredAt = MediaCalls.LoggedAt(engine, "@127.0.0.1 answered")!.Value;

        // Well into the audio (≥ 5 s after the answer), with more still to come.
        var killAt = answeredAt + TimeSpan.FromSeconds(5.5);
        var wait = killAt - DateTime.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        var killed = DateTime.UtcNow;
        engine.Kill();
        Assert.False(engine.Log.Contains("recording ready", StringComparison.Ordinal), engine.LogTail());

        var recordings = Directory.GetFiles(Path.Combine(directory.Path, "data", "recordings"), "*.opus", SearchOption.AllDirectories);
        var file = Assert.Single(recordings);
        var recording = await OpusFiles.DecodeStereoAsync(file);
        var callTime = killed - answeredAt;
        var gap = callTime - recording.Left.Duration;
        var match = MediaCalls.ChunkedAlign(caller, recording.Left, TimeSpan.FromSeconds(1));
        output.WriteLine($"killed {callTime.TotalMilliseconds:0} ms after the answer; {new FileInfo(file).Length} bytes on disk decode to {recording.Left.Duration.TotalMilliseconds:0} ms: gap {gap.TotalMilliseconds:0} ms; {match}");

        Assert.True(callTime >= TimeSpan.FromSeconds(5), $"killed only {callTime.TotalSeconds:0.00} s after the answer");
        Assert.True(gap <= TimeSpan.FromSeconds(1.5), $"killed {callTime.TotalSeconds:0.00} s after the answer, the file decodes to {recording.Left.Duration.TotalSeconds:0.00} s");
        Assert.True(gap >= -TimeSpan.FromSeconds(0.1), $"the file decodes to {recording.Left.Duration.TotalSeconds:0.00} s, more than the {callTime.TotalSeconds:0.00} s the call lasted");

        // What survived is the caller's speech, not noise.
        Assert.True(match.Coefficient >= 0.9, match.ToString());
        Assert.True(match.LagSpread <= TimeSpan.FromMilliseconds(60), match.ToString());
    }
}
