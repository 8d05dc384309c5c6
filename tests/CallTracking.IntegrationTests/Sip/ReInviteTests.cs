using System.Globalization;
using CallTracking.IntegrationTests.Infrastructure;

namespace CallTracking.IntegrationTests.Sip;

/// <summary>Re-INVITEs inside an answered call: hold, resume, and an offer-less re-INVITE.</summary>
[Collection(SippCollection.Name)]
public sealed class ReInviteTests
{
    [Fact]
    public async Task Hold_offer_sendonly_is_answered_recvonly_and_resume_sendrecv_with_versions_counting_up()
    {
        var directory = TestDirectory.Create();
        await using var engine = await SippAgainstEngine.StartEngineAsync(directory);

        var result = await Sipp.RunAsync(directory, SippAgainstEngine.At(engine, new SippOptions
        {
            Name = "uac",
            Scenario = "reinvite_hold.xml",
            Service = EngineConfigs.TrackedNumber,
            Calls = 1,
        }));

        SippAgainstEngine.AssertAllCallsSucceeded(result, 1, engine);
        var answers = result.Messages.Where(m => m.Received && m.StatusCode == 200 && m.Method == "INVITE")
            .DistinctBy(m => m.Header("CSeq")).ToList();
        Assert.True(answers.Count == 3, result.MessageTrace);
        Assert.Contains("a=sendrecv", answers[0].SdpLines);
        Assert.Contains("a=recvonly", answers[1].SdpLines);
        Assert.Contains("a=sendrecv", answers[2].SdpLines);

        // RFC 3264 §8: a changed SDP in the same session has the same o= session id and a version one higher.
        var origins = answers.Select(Origin).ToList();
        Assert.All(origins, o => Assert.Equal(origins[0].SessionId, o.SessionId));
        Assert.Equal([origins[0].Version, origins[0].Version + 1, origins[0].Version + 2], origins.Select(o => o.Version));
    }

    [Fact]
    public async Task Offerless_reinvite_gets_an_offer_in_the_200_and_takes_the_answer_from_the_ack()
    {
        var directory = TestDirectory.Create();
        await using var engine = await SippAgainstEngine.StartEngineAsync(directory);

        var result = await Sipp.RunAsync(directory, SippAgainstEngine.At(engine, new SippOptions
        {
            Name = "uac",
            Scenario = "reinvite_no_sdp.xml",
            Service = EngineConfigs.TrackedNumber,
            Calls = 1,
        }));

        SippAgainstEngine.AssertAllCallsSucceeded(result, 1, engine);
        var offer = SippAgainstEngine.Single(result, m => m.Received && m.StatusCode == 200 && m.Header("CSeq") == "2 INVITE");
        Assert.Equal("application/sdp", offer.Header("Content-Type"));
        var sdp = offer.SdpLines;
        Assert.Matches(@"^m=audio [1-9][0-9]* RTP/AVP 0 8 101$", Assert.Single(sdp, l => l.StartsWith("m=audio ", StringComparison.Ordinal)));
        Assert.Contains("a=rtpmap:0 PCMU/8000", sdp);
        Assert.Contains("a=rtpmap:8 PCMA/8000", sdp);
        Assert.Contains("a=rtpmap:101 telephone-event/8000", sdp);

        // The call went on after the ACK with the answer: the BYE found it and the engine ended it as hung up by the caller.
        await SippAgainstEngine.WaitForLogAsync(engine, "ended: CallerHungUp");
    }

    private static (string SessionId, long Version) Origin(TracedSipMessage message)
    {
        var fields = message.SdpLines.Single(l => l.StartsWith("o=", StringComparison.Ordinal)).Split(' ');
        return (fields[1], long.Parse(fields[2], CultureInfo.InvariantCulture));
    }
}
