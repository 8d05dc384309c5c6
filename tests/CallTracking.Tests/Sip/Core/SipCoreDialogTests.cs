using CallTracking.Engine.Calls;
using CallTracking.Engine.Sip.Messages;
using static CallTracking.Tests.Sip.Core.CoreHarness;

namespace CallTracking.Tests.Sip.Core;

public sealed class SipCoreDialogTests
{
    /// <summary>Answers an INVITE, ACKs it and returns our tag.</summary>
    private static string Establish(CoreHarness h, string headers = "")
    {
        h.Receive(Invite(h.NextBranch(), headers: headers));
        var tag = ToTag(h.Transport.Responses(200)[0]);
        h.Receive(InDialog("ACK", h.NextBranch(), tag, 1));
        h.Transport.Clear();
        return tag;
    }

    private static string OriginVersion(string sdp) => sdp.Split("\r\n").Single(l => l.StartsWith("o=", StringComparison.Ordinal)).Split(' ')[2];

    [Fact]
    public async Task Hold_offer_sendonly_is_answered_recvonly_with_the_next_sdp_version()
    {
        await using var h = new CoreHarness();
        h.Receive(Invite(h.NextBranch()));
        var first = Body(h.Transport.Responses(200)[0]);
        var tag = ToTag(h.Transport.Responses(200)[0]);
        h.Receive(InDialog("ACK", h.NextBranch(), tag, 1));

        h.Receive(InDialog("INVITE", h.NextBranch(), tag, 2, sdp: OfferWith("sendonly")));
        var hold = Body(h.Transport.Responses(200)[^1]);
        Assert.Contains("a=recvonly", hold, StringComparison.Ordinal);
        Assert.Equal(long.Parse(OriginVersion(first), System.Globalization.CultureInfo.InvariantCulture) + 1, long.Parse(OriginVersion(hold), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, h.Core.ActiveCalls);
    }

    [Fact]
    public async Task Offerless_reinvite_is_answered_with_an_offer()
    {
        await using var h = new CoreHarness();
        var tag = Establish(h);
        h.Receive(InDialog("INVITE", h.NextBranch(), tag, 2));
        var offer = Body(Assert.Single(h.Transport.Responses(200)));
        Assert.Contains("m=audio 20000 RTP/AVP 0 8 101", offer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reinvite_with_lower_CSeq_is_refused_500_and_changes_nothing()
    {
        await using var h = new CoreHarness();
        var tag = Establish(h);
        h.Receive(InDialog("INVITE", h.NextBranch(), tag, 5, sdp: OfferWith("sendonly")));
        h.Receive(InDialog("ACK", h.NextBranch(), tag, 5));
        h.Receive(InDialog("INVITE", h.NextBranch(), tag, 4, sdp: OfferWith("sendrecv")));
        Assert.Single(h.Transport.Responses(500));
    }

    [Fact]
    public async Task Reinvite_while_our_refresh_reinvite_is_in_progress_is_glare_491()
    {
        await using var h = new CoreHarness();
        var tag = Establish(h, "Session-Expires: 600;refresher=uas\r\nSupported: timer\r\nAllow: INVITE, ACK, BYE, CANCEL\r\n");
        h.Advance(TimeSpan.FromSeconds(300.2));
        Assert.NotEmpty(h.Transport.Requests(SipMethod.Invite));

        h.Receive(InDialog("INVITE", h.NextBranch(), tag, 2, sdp: OfferWith("sendonly")));
        Assert.Single(h.Transport.Responses(491));
    }

    [Fact]
    public async Task Reinvite_after_our_200_but_before_its_ACK_is_accepted()
    {
        await using var h = new CoreHarness();
        var tag = Establish(h);
        h.Receive(InDialog("INVITE", h.NextBranch(), tag, 2, sdp: OfferWith("sendonly")));
        h.Receive(InDialog("INVITE", h.NextBranch(), tag, 3, sdp: OfferWith("sendrecv")));
        Assert.Equal(2, h.Transport.Responses(200).Count);
        Assert.Empty(h.Transport.Responses(491));
    }

    [Fact]
    public async Task As_refresher_we_send_UPDATE_at_half_the_interval_when_the_peer_allows_it()
    {
        await using var h = new CoreHarness();
        Establish(h, "Session-Expires: 600;refresher=uas\r\nSupported: timer\r\nAllow: INVITE, ACK, BYE, CANCEL, UPDATE\r\n");
        h.Advance(TimeSpan.FromSeconds(299));
        Assert.Empty(h.Transport.Requests(SipMethod.Update));
        h.Advance(TimeSpan.FromSeconds(2));
        var updates = h.Transport.Requests(SipMethod.Update);
        Assert.Single(updates.Select(u => u.Message.CSeqNumber).Distinct());
        var (update, remote) = updates[0];
        Assert.Equal("600;refresher=uas", Header(update, HeaderKind.SessionExpires));
        Assert.Equal("caller", System.Text.Encoding.ASCII.GetString(update.ToTag));
        Assert.Equal(5070, remote.EndPoint.Port);
    }

    [Fact]
    public async Task As_refresher_we_send_a_reinvite_with_our_sdp_when_the_peer_has_no_UPDATE()
    {
        await using var h = new CoreHarness();
        Establish(h, "Session-Expires: 600;refresher=uas\r\nSupported: timer\r\nAllow: INVITE, ACK, BYE, CANCEL\r\n");
        h.Advance(TimeSpan.FromSeconds(301));
        var reinvites = h.Transport.Requests(SipMethod.Invite);
        Assert.Single(reinvites.Select(r => r.Message.CSeqNumber).Distinct());
        var reinvite = reinvites[0].Message;
        Assert.Contains("m=audio 20000", Body(reinvite), StringComparison.Ordinal);
        Assert.Empty(h.Transport.Requests(SipMethod.Update));
    }

    [Fact]
    public async Task Without_a_refresh_from_the_caller_the_session_expires_and_we_send_BYE()
    {
        await using var h = new CoreHarness();
        Establish(h, "Session-Expires: 300;refresher=uac\r\nSupported: timer\r\n");
        Assert.True(h.Core.TryGetCall("call-1", out var call));

        // RFC 4028 §10: BYE at the interval minus min(32 s, interval / 3) = 268 s.
        h.Advance(TimeSpan.FromSeconds(267));
        Assert.Empty(h.Transport.Requests(SipMethod.Bye));
        h.Advance(TimeSpan.FromSeconds(2));
        Assert.NotEmpty(h.Transport.Requests(SipMethod.Bye));
        Assert.Equal(CallEndReason.SessionExpired, call.EndReason);
    }

    [Fact]
    public async Task A_refresh_from_the_caller_restarts_the_session_timer()
    {
        await using var h = new CoreHarness();
        var tag = Establish(h, "Session-Expires: 300;refresher=uac\r\nSupported: timer\r\n");
        h.Advance(TimeSpan.FromSeconds(150));
        h.Receive(InDialog("UPDATE", h.NextBranch(), tag, 2, headers: "Session-Expires: 300;refresher=uac\r\nSupported: timer\r\n"));
        Assert.Equal("300;refresher=uac", Header(Assert.Single(h.Transport.Responses(200)), HeaderKind.SessionExpires));
        h.Advance(TimeSpan.FromSeconds(200));
        Assert.Empty(h.Transport.Requests(SipMethod.Bye));
        Assert.Equal(1, h.Core.ActiveCalls);
    }

    [Fact]
    public async Task In_dialog_OPTIONS_and_INFO_get_200_and_unknown_dialog_gets_481()
    {
        await using var h = new CoreHarness();
        var tag = Establish(h);
        h.Receive(InDialog("OPTIONS", h.NextBranch(), tag, 2));
        h.Receive(InDialog("INFO", h.NextBranch(), tag, 3));
        Assert.Equal(2, h.Transport.Responses(200).Count);
        h.Receive(InDialog("BYE", h.NextBranch(), "not-our-tag", 4));
        Assert.Single(h.Transport.Responses(481));
        Assert.Equal(1, h.Core.ActiveCalls);
    }
}
