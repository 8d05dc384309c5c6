using CallTracking.IntegrationTests.Infrastructure;
using CallTracking.IntegrationTests.Sip;
using Xunit.Abstractions;

namespace CallTracking.IntegrationTests.Media;

/// <summary>A call whose caller sends no RTP at all is dead: the engine hangs up after Media:InactivitySeconds.</summary>
[Collection(SippCollection.Name)]
public sealed class InactivityTests(ITestOutputHelper output)
{
    [Fact]
    public async Task No_rtp_after_the_ack_ends_the_call_with_bye_after_the_inactivity_time_and_says_why()
    {
        var directory = TestDirectory.Create();
        await using var engine = await SippAgainstEngine.StartEngineAsync(directory, "--Media:InactivitySeconds=5");

        // INVITE, 200, ACK, then silence (no RTP) until the engine's BYE, answered 200.
        var uac = await Sipp.RunAsync(directory, SippAgainstEngine.At(engine, new SippOptions
        {
            Name = "uac",
            Scenario = "invite_wait_for_engine_bye.xml",
            Service = EngineConfigs.TrackedNumber,
            Calls = 1,
            RecvTimeout = TimeSpan.FromSeconds(12),
            Timeout = TimeSpan.FromSeconds(15),
        }));

        SippAgainstEngine.AssertAllCallsSucceeded(uac, 1, engine);
        var trace = MediaCalls.TimedTrace(uac.MessageTrace);
        var ack = trace.Single(m => !m.Received && m.StartLine.StartsWith("ACK ", StringComparison.Ordinal));
        var bye = trace.Single(m => m.Received && m.StartLine.StartsWith("BYE ", StringComparison.Ordinal));
        var delay = bye.Time - ack.Time;
        output.WriteLine($"BYE {delay.TotalMilliseconds:0} ms after the ACK");
        Assert.True(delay >= TimeSpan.FromSeconds(4.5) && delay <= TimeSpan.FromSeconds(8), $"BYE {delay.TotalSeconds:0.00} s after the ACK\n{uac.MessageTrace}");

        var callId = uac.Messages[0].CallId!;
        await SippAgainstEngine.WaitForLogAsync(engine, $"Call {callId}: no RTP for 5 s; hanging up");
        await SippAgainstEngine.WaitForLogAsync(engine, $"Call {callId} ended: NoMedia");
        var ready = await MediaCalls.WaitForRecordingAsync(engine, callId);
        Assert.Equal(0, ready.Packets);
    }
}
