using CallTracking.IntegrationTests.Infrastructure;

namespace CallTracking.IntegrationTests.Sip;

/// <summary>An inbound call shaped like Twilio Elastic SIP Trunking's: route set, session timer, X-Twilio headers, PCMA first.</summary>
[Collection(SippCollection.Name)]
public sealed class TwilioOriginationTests
{
    private const string CallSid = "CA0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("+15551230001")]
    [InlineData("15551230001")]
    public async Task Twilio_invite_is_answered_with_route_set_session_timer_and_pcma(string requestUriUser)
    {
        var directory = TestDirectory.Create($"{nameof(Twilio_invite_is_answered_with_route_set_session_timer_and_pcma)}-{requestUriUser.TrimStart('+')}");
        await using var engine = await SippAgainstEngine.StartEngineAsync(directory);

        var result = await Sipp.RunAsync(directory, SippAgainstEngine.At(engine, new SippOptions
        {
            Name = "twilio",
            Scenario = "twilio_origination.xml",
            Service = requestUriUser,
            Calls = 1,
        }));

        SippAgainstEngine.AssertAllCallsSucceeded(result, 1, engine);
        var ok = SippAgainstEngine.Single(result, m => m.Received && m.StatusCode == 200 && m.Method == "INVITE");
        var sippPort = SippAgainstEngine.SippPort(result);

        // RFC 3261 §12.1.1: every Record-Route copied, in order.
        Assert.Equal(
            [$"<sip:127.0.0.1:{sippPort};lr;r=edge1>", $"<sip:127.0.0.1:{sippPort};lr;r=edge2>"],
            ok.Headers("Record-Route"));
        Assert.Equal($"<sip:127.0.0.1:{engine.SipPort}>", ok.Header("Contact"));
        Assert.Equal("1800;refresher=uac", ok.Header("Session-Expires"));
        Assert.Equal("timer", ok.Header("Require"));
        Assert.Equal("application/sdp", ok.Header("Content-Type"));

        var sdp = ok.SdpLines;
        var media = Assert.Single(sdp, l => l.StartsWith("m=audio ", StringComparison.Ordinal));
        Assert.Matches(@"^m=audio [1-9][0-9]* RTP/AVP 8 101$", media);
        Assert.Contains("a=rtpmap:8 PCMA/8000", sdp);
        Assert.Contains("a=rtpmap:101 telephone-event/8000", sdp);
        Assert.Contains("a=sendrecv", sdp);
        Assert.Contains("c=IN IP4 127.0.0.1", sdp);

        // The ACK and BYE carried the route set and went to the engine's Contact.
        var bye = SippAgainstEngine.Single(result, m => !m.Received && m.StartLine.StartsWith("BYE ", StringComparison.Ordinal));
        Assert.Equal($"BYE sip:127.0.0.1:{engine.SipPort} SIP/2.0", bye.StartLine);
        var routes = string.Join(",", bye.Headers("Route")).Split(',', StringSplitOptions.TrimEntries);
        Assert.Equal(2, routes.Length);
        Assert.All(routes, r => Assert.Matches($@"^<sip:127\.0\.0\.1:{sippPort};lr;r=edge[12]>$", r));

        // The engine's log names the call by Twilio's CallSid, so support can find it from Twilio's console.
        await SippAgainstEngine.WaitForLogAsync(engine, "ended");
        Assert.Contains(engine.Log.Split('\n'), l => l.Contains(ok.CallId!, StringComparison.Ordinal) && l.Contains($"Twilio CallSid {CallSid}", StringComparison.Ordinal));
    }
}
