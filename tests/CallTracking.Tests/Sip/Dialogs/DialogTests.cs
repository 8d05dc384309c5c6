using System.Buffers;
using System.Net;
using System.Text;
using CallTracking.Engine.Sip.Dialogs;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Parsing;
using CallTracking.Engine.Sip.Transport;

namespace CallTracking.Tests.Sip.Dialogs;

public sealed class DialogTests
{
    private static readonly SipRemote Peer = new(SipTransportKind.Udp, new IPEndPoint(IPAddress.Parse("10.0.0.1"), 5070));

    [Fact]
    public void Uas_dialog_takes_identity_target_and_route_set_from_the_invite()
    {
        using var invite = ParsedMessage.Invite("Record-Route: <sip:54.172.60.1;lr;r=abc>, <sip:10.5.0.1;lr>\r\nRecord-Route: <sip:10.6.0.1;lr>\r\n");
        var dialog = Dialog.FromInvite(invite, "ourtag", Peer, 1);

        Assert.Equal(new DialogId("call-1@10.0.0.1", "ourtag", "abc"), dialog.Id);
        Assert.Equal("sip:caller@10.0.0.1:5070;transport=udp", dialog.RemoteTarget);
        Assert.Equal(["<sip:54.172.60.1;lr;r=abc>", "<sip:10.5.0.1;lr>", "<sip:10.6.0.1;lr>"], dialog.RouteSet);
        Assert.Equal("<sip:+15551230001@127.0.0.1>;tag=ourtag", dialog.LocalParty);
        Assert.Equal("\"Caller\" <sip:+15557654321@10.0.0.1>;tag=abc", dialog.RemoteParty);
    }

    [Fact]
    public void Loose_route_keeps_remote_target_as_request_uri_and_routes_through_the_set()
    {
        using var invite = ParsedMessage.Invite("Record-Route: <sip:54.172.60.1;lr>\r\n");
        var dialog = Dialog.FromInvite(invite, "t", Peer, 1);
        var (requestUri, routes, firstHop) = DialogRequestWriter.Plan(dialog);
        Assert.Equal("sip:caller@10.0.0.1:5070;transport=udp", requestUri);
        Assert.Equal(["<sip:54.172.60.1;lr>"], routes);
        Assert.Equal("sip:54.172.60.1;lr", firstHop);
    }

    [Fact]
    public void Strict_route_moves_first_route_into_request_uri_and_target_to_the_end()
    {
        using var invite = ParsedMessage.Invite("Record-Route: <sip:10.9.0.1>, <sip:10.9.0.2;lr>\r\n");
        var dialog = Dialog.FromInvite(invite, "t", Peer, 1);
        var (requestUri, routes, firstHop) = DialogRequestWriter.Plan(dialog);
        Assert.Equal("sip:10.9.0.1", requestUri);
        Assert.Equal(["<sip:10.9.0.2;lr>", "<sip:caller@10.0.0.1:5070;transport=udp>"], routes);
        Assert.Equal("sip:10.9.0.1", firstHop);
    }

    [Fact]
    public void Bye_written_in_the_dialog_parses_back_with_dialog_headers_and_goes_to_the_first_route()
    {
        using var invite = ParsedMessage.Invite("Record-Route: <sip:54.172.60.1:5060;lr>\r\n");
        var dialog = Dialog.FromInvite(invite, "ourtag", Peer, 100);
        var output = new ArrayBufferWriter<byte>();
        var cseq = dialog.NextLocalCSeq();
        DialogRequestWriter.Write(output, dialog, SipMethod.Bye, cseq, "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKbye1;rport", string.Empty, "CallTracking", string.Empty, default, default);

        Assert.Equal("sip:54.172.60.1:5060;lr", DialogRequestWriter.Plan(dialog).FirstHop);
        using var bye = new SipMessage();
        Assert.Equal(SipParseStatus.Complete, SipParser.TryParse(new ReadOnlySequence<byte>(output.WrittenMemory), true, bye, out _, out _));
        Assert.Equal(SipMethod.Bye, bye.Method);
        Assert.Equal("sip:caller@10.0.0.1:5070;transport=udp", Encoding.ASCII.GetString(bye.RequestUri));
        Assert.Equal(101u, bye.CSeqNumber);
        Assert.Equal("ourtag", Encoding.ASCII.GetString(bye.FromTag));
        Assert.Equal("abc", Encoding.ASCII.GetString(bye.ToTag));
        Assert.Equal("call-1@10.0.0.1", Encoding.ASCII.GetString(bye.CallId));
        Assert.True(bye.TryGetHeader(HeaderKind.Route, out var route));
        Assert.Equal("<sip:54.172.60.1:5060;lr>", Encoding.ASCII.GetString(route));
        Assert.Equal(0, bye.ContentLength);
    }

    [Fact]
    public void Lower_remote_CSeq_is_refused_and_higher_accepted()
    {
        using var invite = ParsedMessage.Invite();
        var dialog = Dialog.FromInvite(invite, "t", Peer, 1);
        Assert.False(dialog.AcceptRemoteCSeq(9));
        Assert.True(dialog.AcceptRemoteCSeq(11));
        Assert.False(dialog.AcceptRemoteCSeq(10));
    }

    [Fact]
    public void Target_refresh_moves_the_remote_target()
    {
        using var invite = ParsedMessage.Invite();
        var dialog = Dialog.FromInvite(invite, "t", Peer, 1);
        using var reinvite = ParsedMessage.From(
            "INVITE sip:x@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bK-2\r\nFrom: <sip:a@10.0.0.1>;tag=abc\r\n" +
            "To: <sip:b@127.0.0.1>;tag=t\r\nCall-ID: call-1@10.0.0.1\r\nCSeq: 11 INVITE\r\nContact: <sip:moved@10.0.0.2:5080>\r\nContent-Length: 0\r\n\r\n");
        dialog.RefreshTarget(reinvite);
        Assert.Equal("sip:moved@10.0.0.2:5080", dialog.RemoteTarget);
    }

    [Fact]
    public void Table_finds_a_dialog_from_an_in_dialog_request_and_not_from_another_tag()
    {
        using var invite = ParsedMessage.Invite();
        var table = new DialogTable();
        var dialog = Dialog.FromInvite(invite, "t", Peer, 1);
        table.Add(dialog);
        using var bye = ParsedMessage.From(
            "BYE sip:x@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bK-3\r\nFrom: <sip:a@10.0.0.1>;tag=abc\r\n" +
            "To: <sip:b@127.0.0.1>;tag=t\r\nCall-ID: call-1@10.0.0.1\r\nCSeq: 12 BYE\r\nContent-Length: 0\r\n\r\n");
        Assert.True(table.TryFindForRequest(bye, out var found));
        Assert.Same(dialog, found);
        using var stray = ParsedMessage.From(
            "BYE sip:x@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bK-4\r\nFrom: <sip:a@10.0.0.1>;tag=abc\r\n" +
            "To: <sip:b@127.0.0.1>;tag=other\r\nCall-ID: call-1@10.0.0.1\r\nCSeq: 12 BYE\r\nContent-Length: 0\r\n\r\n");
        Assert.False(table.TryFindForRequest(stray, out _));
    }
}
