using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Transactions;

namespace CallTracking.Tests.Sip.Transactions;

public sealed class ServerInviteTransactionTests
{
    private static readonly byte[] Ringing = TransactionHarness.Bytes("180 Ringing");
    private static readonly byte[] Busy = TransactionHarness.Bytes("486 Busy");
    private static readonly byte[] Ok = TransactionHarness.Bytes("200 OK");

    [Fact]
    public void Silent_TU_gets_100_Trying_sent_after_200_ms_and_it_answers_retransmissions()
    {
        using var h = new TransactionHarness();
        h.CreateServerInvite(TransactionHarness.Udp);

        h.AdvanceTo(199);
        Assert.Empty(h.Sender.Sent);
        h.AdvanceTo(200);
        Assert.Equal(new long[] { 200 }, h.Sender.TimesOf("100 Trying"));

        h.AdvanceTo(500);
        Assert.Equal(RequestDisposition.Absorbed, h.Receive(SipMethod.Invite));
        Assert.Equal(new long[] { 200, 500 }, h.Sender.TimesOf("100 Trying"));
    }

    [Fact]
    public void No_100_Trying_when_the_TU_sent_a_provisional_first_and_retransmission_resends_it()
    {
        using var h = new TransactionHarness();
        var tx = h.CreateServerInvite(TransactionHarness.Udp);
        h.AdvanceTo(50);
        Assert.True(tx.SendProvisionalResponse(Ringing));
        h.AdvanceTo(1000);
        h.Receive(SipMethod.Invite);
        h.AdvanceTo(5000);

        Assert.Empty(h.Sender.TimesOf("100 Trying"));
        Assert.Equal(new long[] { 50, 1000 }, h.Sender.TimesOf("180 Ringing"));
    }

    [Fact]
    public void Retransmission_before_any_response_is_absorbed_silently()
    {
        using var h = new TransactionHarness();
        h.CreateServerInvite(TransactionHarness.Udp);
        h.AdvanceTo(100);

        Assert.Equal(RequestDisposition.Absorbed, h.Receive(SipMethod.Invite));
        Assert.Empty(h.Sender.Sent);
    }

    [Fact]
    public void Udp_non_2xx_final_is_retransmitted_by_timer_G_until_ACK_then_confirmed_until_timer_I()
    {
        using var h = new TransactionHarness();
        var tx = h.CreateServerInvite(TransactionHarness.Udp);
        tx.SendProvisionalResponse(Ringing);
        Assert.True(tx.SendFinalResponse(486, Busy));

        h.AdvanceTo(12_000);
        Assert.Equal(new long[] { 0, 500, 1500, 3500, 7500, 11500 }, h.Sender.TimesOf("486 Busy"));

        Assert.Equal(RequestDisposition.Absorbed, h.Receive(SipMethod.Ack));
        Assert.Equal(TransactionState.Confirmed, tx.State);
        Assert.Equal(RequestDisposition.Absorbed, h.Receive(SipMethod.Ack));
        Assert.Equal(RequestDisposition.Absorbed, h.Receive(SipMethod.Invite));

        h.AdvanceTo(12_000 + 5000 - 1);
        Assert.Equal(TransactionState.Confirmed, tx.State);
        h.AdvanceTo(12_000 + 5000);
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(6, h.Sender.CountOf("486 Busy"));
        Assert.Empty(h.User.Names);
        Assert.Equal(0, h.Table.ServerCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Missing_ACK_for_non_2xx_is_reported_once_by_timer_H(bool reliable)
    {
        using var h = new TransactionHarness();
        var tx = h.CreateServerInvite(TransactionHarness.Remote(reliable));
        h.AdvanceTo(1000);
        tx.SendFinalResponse(486, Busy);
        h.AdvanceTo(1000 + 32_000 - 1);
        Assert.Equal(TransactionState.Completed, tx.State);
        h.AdvanceTo(60_000);

        Assert.Equal(new long[] { 33_000 }, h.User.TimesOf("timeout"));
        Assert.Equal(TransactionState.Terminated, tx.State);
        var expected = reliable
            ? new long[] { 1000 }
            : new long[] { 1000, 1500, 2500, 4500, 8500, 12500, 16500, 20500, 24500, 28500, 32500 };
        Assert.Equal(expected, h.Sender.TimesOf("486 Busy"));
    }

    [Fact]
    public void Tcp_ACK_for_non_2xx_terminates_at_once()
    {
        using var h = new TransactionHarness();
        var tx = h.CreateServerInvite(TransactionHarness.Tcp);
        tx.SendFinalResponse(603, TransactionHarness.Bytes("603 Decline"));
        h.AdvanceTo(300);

        Assert.Equal(RequestDisposition.Absorbed, h.Receive(SipMethod.Ack));
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(RequestDisposition.NoMatch, h.Receive(SipMethod.Ack));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Success_is_retransmitted_until_ACK_which_is_passed_up_once_and_timer_L_ends_it(bool reliable)
    {
        using var h = new TransactionHarness();
        var tx = h.CreateServerInvite(TransactionHarness.Remote(reliable));
        Assert.True(tx.SendFinalResponse(200, Ok));
        Assert.Equal(TransactionState.Accepted, tx.State);
        h.AdvanceTo(4000);
        Assert.Equal(RequestDisposition.Absorbed, h.Receive(SipMethod.Invite));

        var ack = new object();
        Assert.Equal(RequestDisposition.AckPassedToUser, h.Receive(SipMethod.Ack, message: ack));
        Assert.Equal(RequestDisposition.Absorbed, h.Receive(SipMethod.Ack));
        Assert.Equal(RequestDisposition.Absorbed, h.Receive(SipMethod.Invite));
        h.AdvanceTo(32_000 - 1);
        Assert.Equal(TransactionState.Accepted, tx.State);
        h.AdvanceTo(40_000);

        // RFC 3261 §13.3.1.4 retransmits the 2xx on every transport: the ACK is end-to-end.
        Assert.Equal(new long[] { 0, 500, 1500, 3500, 4000 }, h.Sender.TimesOf("200 OK"));
        Assert.Equal(["ack"], h.User.Names);
        Assert.Same(ack, h.User.Events[0].Message);
        Assert.Equal(TransactionState.Terminated, tx.State);
    }

    [Fact]
    public void ACK_for_2xx_with_a_new_branch_is_unmatched_and_the_core_hands_it_to_the_transaction()
    {
        using var h = new TransactionHarness();
        var tx = h.CreateServerInvite(TransactionHarness.Udp);
        tx.SendFinalResponse(200, Ok);
        h.AdvanceTo(800);

        Assert.Equal(RequestDisposition.NoMatch, h.Receive(SipMethod.Ack, branch: "z9hG4bK-new-ack"));
        Assert.Equal(RequestDisposition.AckPassedToUser, tx.ReceiveAck(null));
        h.AdvanceTo(10_000);

        Assert.Equal(new long[] { 0, 500 }, h.Sender.TimesOf("200 OK"));
        Assert.Equal(["ack"], h.User.Names);
    }

    [Fact]
    public void Success_never_ACKed_is_retransmitted_capped_at_T2_and_reported_at_64_T1()
    {
        using var h = new TransactionHarness();
        var tx = h.CreateServerInvite(TransactionHarness.Udp);
        tx.SendFinalResponse(200, Ok);

        h.AdvanceTo(31_999);
        Assert.Empty(h.User.Names);
        h.AdvanceTo(40_000);

        Assert.Equal(
            new long[] { 0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500 },
            h.Sender.TimesOf("200 OK"));
        Assert.Equal(new long[] { 32_000 }, h.User.TimesOf("no-ack"));
        Assert.Equal(["no-ack"], h.User.Names);
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(0, h.Table.ServerCount);
    }

    [Fact]
    public void Second_final_response_is_refused()
    {
        using var h = new TransactionHarness();
        var tx = h.CreateServerInvite(TransactionHarness.Udp);

        Assert.False(tx.HasSentFinalResponse);
        Assert.True(tx.SendFinalResponse(487, TransactionHarness.Bytes("487 Terminated")));
        Assert.True(tx.HasSentFinalResponse);
        Assert.False(tx.SendFinalResponse(200, Ok));
        Assert.False(tx.SendProvisionalResponse(Ringing));
        Assert.Empty(h.Sender.TimesOf("200 OK"));
        Assert.Throws<ArgumentOutOfRangeException>(() => tx.SendFinalResponse(180, Ringing));
    }

    [Fact]
    public void Transport_error_on_a_response_terminates_and_tells_the_TU()
    {
        using var h = new TransactionHarness();
        var tx = h.CreateServerInvite(TransactionHarness.Tcp);
        h.Sender.Fail = true;

        Assert.False(tx.SendFinalResponse(486, Busy));
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(["transport-error"], h.User.Names);
        Assert.Equal(0, h.Table.ServerCount);
    }
}
