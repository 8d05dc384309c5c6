using CallTracking.Engine.Sip.Transactions;

namespace CallTracking.Tests.Sip.Transactions;

public sealed class ClientInviteTransactionTests
{
    [Fact]
    public void Udp_invite_is_retransmitted_by_timer_A_doubling_without_cap_and_times_out_by_timer_B_once()
    {
        using var h = new TransactionHarness();
        var tx = h.StartInvite(TransactionHarness.Udp);

        h.AdvanceTo(31_999);
        Assert.Equal(TransactionState.Calling, tx.State);
        h.AdvanceTo(40_000);

        Assert.Equal(new long[] { 0, 500, 1500, 3500, 7500, 15500, 31500 }, h.Sender.TimesOf("INVITE"));
        Assert.Equal(new long[] { 32_000 }, h.User.TimesOf("timeout"));
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(0, h.Table.ClientCount);
    }

    [Fact]
    public void Tcp_invite_is_not_retransmitted_but_still_times_out_by_timer_B()
    {
        using var h = new TransactionHarness();
        h.StartInvite(TransactionHarness.Tcp);

        h.AdvanceTo(40_000);

        Assert.Equal(new long[] { 0 }, h.Sender.TimesOf("INVITE"));
        Assert.Equal(new long[] { 32_000 }, h.User.TimesOf("timeout"));
    }

    [Fact]
    public void Provisional_stops_retransmissions_and_timer_B()
    {
        using var h = new TransactionHarness();
        var tx = h.StartInvite(TransactionHarness.Udp);

        h.AdvanceTo(600);
        var message = new object();
        Assert.True(h.Respond(180, message: message));
        h.AdvanceTo(60_000);

        Assert.Equal(new long[] { 0, 500 }, h.Sender.TimesOf("INVITE"));
        Assert.Equal(["response 180"], h.User.Names);
        Assert.Same(message, h.User.Events[0].Message);
        Assert.Equal(TransactionState.Proceeding, tx.State);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Non_2xx_final_is_acked_by_the_transaction_and_retransmissions_are_re_acked_until_timer_D(bool reliable)
    {
        using var h = new TransactionHarness();
        var factoryCalls = 0;
        var tx = h.Table.StartClientInvite(
            TransactionHarness.Bytes("z9hG4bK-c1"), TransactionHarness.Remote(reliable), TransactionHarness.Bytes("INVITE"),
            (code, _) =>
            {
                factoryCalls++;
                return TransactionHarness.Bytes($"ACK {code}");
            },
            userState: null);

        h.AdvanceTo(100);
        h.Respond(180);
        h.AdvanceTo(1000);
        h.Respond(486);

        Assert.Equal(new long[] { 1000 }, h.Sender.TimesOf("ACK 486"));
        Assert.Equal(["response 180", "response 486"], h.User.Names);
        if (reliable)
        {
            // Timer D is 0 on reliable transports.
            Assert.Equal(TransactionState.Terminated, tx.State);
            Assert.False(h.Respond(486));
            return;
        }

        Assert.Equal(TransactionState.Completed, tx.State);
        h.AdvanceTo(2000);
        Assert.True(h.Respond(486));
        Assert.Equal(new long[] { 1000, 2000 }, h.Sender.TimesOf("ACK 486"));
        Assert.Equal(["response 180", "response 486"], h.User.Names);
        Assert.Equal(1, factoryCalls);

        h.AdvanceTo(1000 + 32_000 - 1);
        Assert.Equal(TransactionState.Completed, tx.State);
        h.AdvanceTo(1000 + 32_000);
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(0, h.Table.ClientCount);
        Assert.DoesNotContain("timeout", h.User.Names);
    }

    [Fact]
    public void Final_in_calling_state_stops_timer_A_and_acks()
    {
        using var h = new TransactionHarness();
        h.StartInvite(TransactionHarness.Udp);
        h.AdvanceTo(700);
        h.Respond(503);
        h.AdvanceTo(40_000);

        Assert.Equal(new long[] { 0, 500 }, h.Sender.TimesOf("INVITE"));
        Assert.Equal(new long[] { 700 }, h.Sender.TimesOf("ACK 503"));
        Assert.Empty(h.User.TimesOf("timeout"));
    }

    [Fact]
    public void Success_enters_accepted_passes_every_2xx_up_sends_no_ack_and_ends_by_timer_M()
    {
        using var h = new TransactionHarness();
        var tx = h.StartInvite(TransactionHarness.Udp);
        h.AdvanceTo(200);
        h.Respond(200);
        Assert.Equal(TransactionState.Accepted, tx.State);
        h.AdvanceTo(5000);
        h.Respond(200);
        h.Respond(486);

        Assert.Equal(["response 200", "response 200"], h.User.Names);
        Assert.DoesNotContain(h.Sender.Sent, s => s.Text.StartsWith("ACK", StringComparison.Ordinal));

        h.AdvanceTo(200 + 32_000 - 1);
        Assert.Equal(TransactionState.Accepted, tx.State);
        h.AdvanceTo(200 + 32_000);
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(new long[] { 0 }, h.Sender.TimesOf("INVITE"));
        Assert.False(h.Respond(200));
    }

    [Fact]
    public void Transport_error_on_first_send_terminates_and_tells_the_TU()
    {
        using var h = new TransactionHarness();
        h.Sender.Fail = true;
        var tx = h.StartInvite(TransactionHarness.Udp);

        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(["transport-error"], h.User.Names);
        Assert.Equal(0, h.Table.ClientCount);
        h.AdvanceTo(40_000);
        Assert.Equal(["transport-error"], h.User.Names);
    }

    [Fact]
    public void Transport_error_on_retransmission_terminates_and_tells_the_TU()
    {
        using var h = new TransactionHarness();
        var tx = h.StartInvite(TransactionHarness.Udp);
        h.AdvanceTo(1000);
        h.Sender.Fail = true;
        h.AdvanceTo(40_000);

        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(new long[] { 1500 }, h.User.TimesOf("transport-error"));
        Assert.Empty(h.User.TimesOf("timeout"));
    }
}
