using CallTracking.IntegrationTests.Audio;
using CallTracking.IntegrationTests.Infrastructure;
using CallTracking.IntegrationTests.Sip;

namespace CallTracking.IntegrationTests.Media;

/// <summary>RFC 4733 key presses from a real sender (sipp's dtmf_2833_*.pcap captures, payload type 101) reach the engine's log.</summary>
[Collection(SippCollection.Name)]
public sealed class DtmfTests
{
    [Fact]
    public async Task Digits_pressed_are_logged_once_each_in_order()
    {
        var directory = TestDirectory.Create();
        const string digits = "19#4*0";
        var scenario = SippAudio.WriteDtmfScenario(directory, digits, TimeSpan.FromMilliseconds(400));
        await using var engine = await SippAgainstEngine.StartEngineAsync(directory);

        var uac = await Sipp.RunAsync(directory, SippAgainstEngine.At(engine, new SippOptions
        {
            Name = "uac",
            Scenario = scenario,
            Service = EngineConfigs.TrackedNumber,
            Calls = 1,
            Timeout = TimeSpan.FromSeconds(15),
        }));

        SippAgainstEngine.AssertAllCallsSucceeded(uac, 1, engine);
        var callId = uac.Messages[0].CallId!;
        await MediaCalls.WaitForRecordingAsync(engine, callId);
        Assert.True(MediaCalls.LoggedDigits(engine, callId) == digits, engine.LogTail(40));
    }
}
