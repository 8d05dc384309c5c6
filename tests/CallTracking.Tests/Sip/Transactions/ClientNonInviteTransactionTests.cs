using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Transactions;

namespace CallTracking.Tests.Sip.Transactions;

public sealed class ClientNonInviteTransactionTests
{
    [Fact]
    public void Udp_request_is_retransmitted_by_timer_E_capped_at_T2_and_times_out_by_timer_F()
    {
        using var h = new TransactionHarness();
        var tx = h.StartOptions(TransactionHarness.Udp);

        h.AdvanceTo(40_000);

        Assert.Equal(
            new long[] { 0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500 },
            h.Sender.TimesOf("OPTIONS"));
        Assert.Equal(new long[] { 32_000 }, h.User.TimesOf("timeout"));
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(0, h.Table.ClientCount);
    }

    [Fact]
    public void After_a_provisional_the_request_is_retransmitted_every_T2()
    {
        using var h = new TransactionHarness();
        var tx = h.StartOptions(TransactionHarness.Udp);
        h.AdvanceTo(600);
        h.Respond(100, SipMethod.Options, "z9hG4bK-c2");
        Assert.Equal(TransactionState.Proceeding, tx.State);

        h.AdvanceTo(40_000);

        Assert.Equal(
            new long[] { 0, 500, 1500, 5500, 9500, 13500, 17500, 21500, 25500, 29500 },
            h.Sender.TimesOf("OPTIONS"));
        Assert.Equal(new long[] { 32_000 }, h.User.TimesOf("timeout"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Final_response_completes_absorbs_retransmissions_and_ends_by_timer_K(bool reliable)
    {
        using var h = new TransactionHarness();
        var tx = h.StartOptions(TransactionHarness.Remote(reliable));
        h.AdvanceTo(700);
        Assert.True(h.Respond(200, SipMethod.Options, "z9hG4bK-c2"));

        Assert.Equal(["response 200"], h.User.Names);
        if (reliable)
        {
            Assert.Equal(TransactionState.Terminated, tx.State);
            Assert.Equal(new long[] { 0 }, h.Sender.TimesOf("OPTIONS"));
            return;
        }

        Assert.True(h.Respond(200, SipMethod.Options, "z9hG4bK-c2"));
        Assert.Equal(["response 200"], h.User.Names);
        h.AdvanceTo(700 + 5000 - 1);
        Assert.Equal(TransactionState.Completed, tx.State);
        h.AdvanceTo(700 + 5000);
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(new long[] { 0, 500 }, h.Sender.TimesOf("OPTIONS"));
        Assert.Empty(h.User.TimesOf("timeout"));
    }
}
