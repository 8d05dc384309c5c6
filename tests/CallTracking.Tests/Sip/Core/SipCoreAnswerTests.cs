using CallTracking.Engine.Calls;
using CallTracking.Engine.Sip.Core;
using CallTracking.Engine.Sip.Messages;
using static CallTracking.Tests.Sip.Core.CoreHarness;

namespace CallTracking.Tests.Sip.Core;

public sealed class SipCoreAnswerTests
{
    [Fact]
    public async Task Invite_for_a_tracking_number_is_answered_with_sdp_contact_and_session_timer()
    {
        await using var h = new CoreHarness();
        h.Receive(Invite(h.NextBranch(), headers: "Supported: timer\r\nSession-Expires: 1800;refresher=uac\r\n"));

        var ok = Assert.Single(h.Transport.Responses(200));
        Assert.NotEmpty(ToTag(ok));
        Assert.Equal("<sip:127.0.0.1:5060>", Header(ok, HeaderKind.Contact));
        Assert.Equal("1800;refresher=uac", Header(ok, HeaderKind.SessionExpires));
        Assert.Equal("timer", Header(ok, HeaderKind.Require));
        Assert.Contains("INVITE", Header(ok, HeaderKind.Allow), StringComparison.Ordinal);
        Assert.Equal("application/sdp", Header(ok, HeaderKind.ContentType));
        var sdp = Body(ok);
        Assert.Contains("c=IN IP4 127.0.0.1", sdp, StringComparison.Ordinal);
        Assert.Contains("m=audio 20000 RTP/AVP 0 101", sdp, StringComparison.Ordinal);
        Assert.Equal(1, h.Core.ActiveCalls);
        Assert.Equal(1, h.Ports.InUse);
    }

    [Fact]
    public async Task Record_Route_is_copied_into_the_200_in_order()
    {
        await using var h = new CoreHarness();
        h.Receive(Invite(h.NextBranch(), headers: "Record-Route: <sip:54.172.60.1;lr;r=a>, <sip:54.172.60.2;lr>\r\nRecord-Route: <sip:10.1.1.1;lr>\r\n"));

        var ok = Assert.Single(h.Transport.Responses(200));
        var routes = new List<string>();
        foreach (var value in ok.GetHeaderValues(HeaderKind.RecordRoute))
        {
            routes.Add(System.Text.Encoding.ASCII.GetString(value));
        }

        Assert.Equal(["<sip:54.172.60.1;lr;r=a>", "<sip:54.172.60.2;lr>", "<sip:10.1.1.1;lr>"], routes);
    }

    [Fact]
    public async Task Twilio_headers_and_caller_are_kept_with_the_call_and_number_without_plus_matches()
    {
        await using var h = new CoreHarness();
        h.Receive(Invite(h.NextBranch(), number: "15551230001", headers: "X-Twilio-CallSid: CA0123456789abcdef0123456789abcdef\r\nX-Twilio-AccountSid: AC42\r\n"));

        Assert.Single(h.Transport.Responses(200));
        Assert.True(h.Core.TryGetCall("call-1", out var call));
        Assert.Equal("CA0123456789abcdef0123456789abcdef", call.TwilioCallSid);
        Assert.Equal("AC42", call.TwilioAccountSid);
        Assert.Equal("+15557654321", call.CallerNumber);
        Assert.Equal("Jane", call.CallerName);
        Assert.Equal("+15551230001", call.Number.E164);
        Assert.Equal("carrier", call.Trunk);
    }

    [Fact]
    public async Task Retransmitted_invite_gets_the_same_200_and_makes_no_second_call()
    {
        await using var h = new CoreHarness();
        var branch = h.NextBranch();
        h.Receive(Invite(branch));
        h.Receive(Invite(branch));

        var oks = h.Transport.Responses(200);
        Assert.Equal(2, oks.Count);
        Assert.Equal(ToTag(oks[0]), ToTag(oks[1]));
        Assert.Equal(1, h.Core.ActiveCalls);
    }

    [Fact]
    public async Task Unacknowledged_200_is_retransmitted_then_the_call_ends_with_BYE_to_the_Contact()
    {
        await using var h = new CoreHarness();
        h.Receive(Invite(h.NextBranch()));
        h.Advance(TimeSpan.FromSeconds(33));

        // RFC 3261 §13.3.1.4: T1 doubling capped at T2 for 64*T1 = 32 s: 500 ms, 1, 2, 4, 4, 4 … s.
        Assert.InRange(h.Transport.Responses(200).Count, 9, 12);
        // One BYE transaction; unanswered here, so Timer E repeats it with the same branch.
        var byes = h.Transport.Requests(SipMethod.Bye);
        Assert.Single(byes.Select(b => System.Text.Encoding.ASCII.GetString(b.Message.TopVia.Branch)).Distinct());
        var (bye, remote) = byes[0];
        Assert.Equal("sip:jane@10.0.0.1:5070", System.Text.Encoding.ASCII.GetString(bye.RequestUri));
        Assert.Equal(5070, remote.EndPoint.Port);
        Assert.Equal(0, h.Core.ActiveCalls);
        Assert.Equal(0, h.Ports.InUse);
    }

    [Fact]
    public async Task Ack_stops_the_200_retransmissions_and_BYE_ends_the_call()
    {
        await using var h = new CoreHarness();
        h.Receive(Invite(h.NextBranch()));
        var tag = ToTag(h.Transport.Responses(200)[0]);
        h.Receive(InDialog("ACK", h.NextBranch(), tag, 1));
        h.Advance(TimeSpan.FromSeconds(10));
        Assert.Single(h.Transport.Responses(200));

        h.Receive(InDialog("BYE", h.NextBranch(), tag, 2));
        var byeOk = h.Transport.Responses(200)[^1];
        Assert.Equal(SipMethod.Bye, byeOk.CSeqMethod);
        Assert.Equal(0, h.Core.ActiveCalls);
        Assert.Equal(0, h.Ports.InUse);
        Assert.Empty(h.Transport.Requests(SipMethod.Bye));
    }

    [Fact]
    public async Task With_an_answer_delay_the_call_rings_with_a_tag_then_answers_on_time()
    {
        await using var h = new CoreHarness(new SipCoreOptions { AnswerDelay = TimeSpan.FromSeconds(3) });
        h.Receive(Invite(h.NextBranch()));
        var ringing = Assert.Single(h.Transport.Responses(180));
        Assert.NotEmpty(ToTag(ringing));

        h.Advance(TimeSpan.FromSeconds(2.9));
        Assert.Empty(h.Transport.Responses(200));
        h.Advance(TimeSpan.FromSeconds(0.2));
        var ok = Assert.Single(h.Transport.Responses(200));
        Assert.Equal(ToTag(ringing), ToTag(ok));
    }

    [Fact]
    public async Task Cancel_while_ringing_gets_200_and_the_invite_487_and_frees_the_call()
    {
        await using var h = new CoreHarness(new SipCoreOptions { AnswerDelay = TimeSpan.FromSeconds(3) });
        var branch = h.NextBranch();
        h.Receive(Invite(branch));
        h.Receive(Invite(branch).Replace("INVITE sip:", "CANCEL sip:", StringComparison.Ordinal).Replace("1 INVITE", "1 CANCEL", StringComparison.Ordinal)
            .Split("Content-Type:")[0] + "Content-Length: 0\r\n\r\n");

        var cancelOk = Assert.Single(h.Transport.Responses(200));
        Assert.Equal(SipMethod.Cancel, cancelOk.CSeqMethod);
        var terminated = Assert.Single(h.Transport.Responses(487));
        Assert.Equal(SipMethod.Invite, terminated.CSeqMethod);
        Assert.Equal(0, h.Core.ActiveCalls);
        Assert.Equal(0, h.Ports.InUse);

        // The answer timer must not bring the cancelled call back.
        h.Advance(TimeSpan.FromSeconds(4));
        Assert.Single(h.Transport.Responses(200));
    }

    [Fact]
    public async Task Offerless_invite_gets_our_offer_in_the_200()
    {
        await using var h = new CoreHarness();
        h.Receive(Invite(h.NextBranch(), sdp: null));
        var sdp = Body(Assert.Single(h.Transport.Responses(200)));
        Assert.Contains("m=audio 20000 RTP/AVP 0 8 101", sdp, StringComparison.Ordinal);
        Assert.Contains("a=sendrecv", sdp, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shutdown_hangs_up_answered_calls_with_BYE()
    {
        var h = new CoreHarness(new SipCoreOptions { ShutdownGrace = TimeSpan.Zero });
        h.Receive(Invite(h.NextBranch()));
        h.Receive(InDialog("ACK", h.NextBranch(), ToTag(h.Transport.Responses(200)[0]), 1));
        Assert.True(h.Core.TryGetCall("call-1", out var call));

        await h.Core.DisposeAsync();

        Assert.Single(h.Transport.Requests(SipMethod.Bye));
        Assert.Equal(CallEndReason.Shutdown, call.EndReason);
        await h.DisposeAsync();
    }
}
