using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Transactions;

namespace CallTracking.Tests.Sip.Transactions;

public sealed class ServerNonInviteTransactionTests
{
    [Fact]
    public void Retransmitted_request_is_absorbed_and_the_last_response_resent_until_timer_J()
    {
        using var h = new TransactionHarness();
        var tx = h.CreateServerNonInvite(TransactionHarness.Udp);
        Assert.Equal(TransactionState.Trying, tx.State);

        Assert.Equal(RequestDisposition.Absorbed, h.Receive(SipMethod.Options, "z9hG4bK-s2"));
        Assert.Empty(h.Sender.Sent);

        h.AdvanceTo(100);
        tx.SendProvisionalResponse(TransactionHarness.Bytes("100 Trying"));
        h.AdvanceTo(500);
        h.Receive(SipMethod.Options, "z9hG4bK-s2");
        Assert.Equal(new long[] { 100, 500 }, h.Sender.TimesOf("100 Trying"));

        h.AdvanceTo(1000);
        Assert.True(tx.SendFinalResponse(200, TransactionHarness.Bytes("200 OK")));
        Assert.Equal(TransactionState.Completed, tx.State);
        h.AdvanceTo(1500);
        h.Receive(SipMethod.Options, "z9hG4bK-s2");
        Assert.Equal(new long[] { 1000, 1500 }, h.Sender.TimesOf("200 OK"));
        Assert.False(tx.SendFinalResponse(500, TransactionHarness.Bytes("500")));

        h.AdvanceTo(1000 + 32_000 - 1);
        Assert.Equal(TransactionState.Completed, tx.State);
        h.AdvanceTo(1000 + 32_000);
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(RequestDisposition.NoMatch, h.Receive(SipMethod.Options, "z9hG4bK-s2"));
        Assert.Empty(h.User.Names);
    }

    [Fact]
    public void Tcp_final_response_terminates_at_once()
    {
        using var h = new TransactionHarness();
        var tx = h.CreateServerNonInvite(TransactionHarness.Tcp, SipMethod.Bye);

        tx.SendFinalResponse(200, TransactionHarness.Bytes("200 OK"));

        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(0, h.Table.ServerCount);
    }
}
