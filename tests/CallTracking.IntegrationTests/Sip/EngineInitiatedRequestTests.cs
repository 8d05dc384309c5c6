using System.Diagnostics;
using CallTracking.IntegrationTests.Infrastructure;

namespace CallTracking.IntegrationTests.Sip;

/// <summary>Requests the engine sends on its own inside a call: the BYE after a missing ACK, and RFC 4028 refreshes.</summary>
[Collection(SippCollection.Name)]
public sealed class EngineInitiatedRequestTests
{
    [Fact]
    public async Task Unacknowledged_200_is_retransmitted_then_the_engine_hangs_up_with_bye_after_64_T1()
    {
        var directory = TestDirectory.Create();
        // 64*T1 = 6.4 s instead of 32 s.
        await using var engine = await SippAgainstEngine.StartEngineAsync(directory, "--Sip:Timers:T1Ms=100", "--Sip:Timers:T2Ms=400");

        var result = await Sipp.RunAsync(directory, SippAgainstEngine.At(engine, new SippOptions
        {
            Name = "uac",
            Scenario = "invite_no_ack.xml",
            Service = EngineConfigs.TrackedNumber,
            Calls = 1,
            Timeout = TimeSpan.FromSeconds(25),
            RecvTimeout = TimeSpan.FromSeconds(15),
        }));

        SippAgainstEngine.AssertAllCallsSucceeded(result, 1, engine);
        var messages = result.Messages;
        var okCount = messages.Count(m => m.Received && m.StatusCode == 200 && m.Method == "INVITE");
        Assert.True(okCount >= 4, $"Expected the 200 and at least 3 retransmissions, got {okCount}.\n{result.MessageTrace}");

        var invite = messages.First(m => !m.Received && m.Method == "INVITE");
        var bye = SippAgainstEngine.Single(result, m => m.Received && m.StartLine.StartsWith("BYE ", StringComparison.Ordinal));
        Assert.Equal(invite.CallId, bye.CallId);
        // RFC 3261 §12.2.1.1: the BYE goes to the caller's Contact, From/To swapped with our tag on From.
        Assert.Equal($"BYE sip:+15550000001@127.0.0.1:{SippAgainstEngine.SippPort(result)};transport=UDP SIP/2.0", bye.StartLine);
        Assert.Contains(";tag=", bye.Header("From"), StringComparison.Ordinal);
        Assert.Equal(invite.Header("From"), bye.Header("To"));
        // The BYE comes after the last 200 (no 200 after it).
        Assert.DoesNotContain(messages.SkipWhile(m => m != bye), m => m.Received && m.StatusCode == 200);
        await SippAgainstEngine.WaitForLogAsync(engine, "ended: NoAck");
    }

    /// <summary>
    /// The one slow test of the suite (about 46 s): RFC 4028 only allows intervals of 90 s and more, and the
    /// refresher refreshes at half of it. It also checks that the engine's own in-dialog request follows the
    /// route set of the INVITE's Record-Route entries.
    /// </summary>
    [Fact]
    public async Task As_refresher_the_engine_sends_an_update_at_half_the_session_interval_along_the_route_set()
    {
        var directory = TestDirectory.Create();
        await using var engine = await SippAgainstEngine.StartEngineAsync(directory, "--Sip:MinSESeconds=90", "--Sip:SessionExpiresSeconds=90",
            // The caller sends no RTP: keep the media inactivity hang-up (30 s by default) out of the 45 s refresh wait.
            "--Media:InactivitySeconds=120");

        var clock = Stopwatch.StartNew();
        var result = await Sipp.RunAsync(directory, SippAgainstEngine.At(engine, new SippOptions
        {
            Name = "uac",
            Scenario = "session_refresh_uas.xml",
            Service = EngineConfigs.TrackedNumber,
            Calls = 1,
            Timeout = TimeSpan.FromSeconds(80),
        }));
        clock.Stop();

        SippAgainstEngine.AssertAllCallsSucceeded(result, 1, engine);
        var sippPort = SippAgainstEngine.SippPort(result);
        var invite = result.Messages.First(m => !m.Received && m.Method == "INVITE");
        var update = SippAgainstEngine.Single(result, m => m.Received && m.StartLine.StartsWith("UPDATE ", StringComparison.Ordinal));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(44), TimeSpan.FromSeconds(60));

        // RFC 3261 §12.2.1.1: Request-URI is the remote target (the caller's Contact); Route is the route set,
        // which for the UAS is the Record-Route entries in their order.
        Assert.Equal($"UPDATE sip:+15550000001@127.0.0.1:{sippPort};transport=UDP SIP/2.0", update.StartLine);
        var routes = string.Join(",", update.Headers("Route")).Split(',', StringSplitOptions.TrimEntries);
        Assert.Equal([$"<sip:127.0.0.1:{sippPort};lr;r=edge1>", $"<sip:127.0.0.1:{sippPort};lr;r=edge2>"], routes);
        Assert.Equal(invite.CallId, update.CallId);
        Assert.Equal(invite.Header("From"), update.Header("To"));
        Assert.Matches(@"^[0-9]+ UPDATE$", update.Header("CSeq"));
        Assert.Equal("90;refresher=uas", update.Header("Session-Expires"));
        Assert.Equal(string.Empty, update.Body);
        await SippAgainstEngine.WaitForLogAsync(engine, "ended: CallerHungUp");
    }
}
