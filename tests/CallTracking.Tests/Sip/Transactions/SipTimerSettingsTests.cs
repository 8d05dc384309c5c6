using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Transactions;

namespace CallTracking.Tests.Sip.Transactions;

public sealed class SipTimerSettingsTests
{
    private static readonly SipTimerSettings Fast = new(
        TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(1000), TimeSpan.FromMilliseconds(2000),
        timerDUnreliable: TimeSpan.FromMilliseconds(3000));

    [Fact]
    public void Defaults_follow_RFC_3261_table_4()
    {
        var s = SipTimerSettings.Default;
        Assert.Equal(TimeSpan.FromMilliseconds(500), s.T1);
        Assert.Equal(TimeSpan.FromSeconds(4), s.T2);
        Assert.Equal(TimeSpan.FromSeconds(5), s.T4);
        Assert.Equal(TimeSpan.FromSeconds(32), s.TimerB);
        Assert.Equal(TimeSpan.FromSeconds(32), s.TimerF);
        Assert.Equal(TimeSpan.FromSeconds(32), s.TimerH);
        Assert.Equal(TimeSpan.FromSeconds(32), s.TimerL);
        Assert.Equal(TimeSpan.FromSeconds(32), s.TimerM);
        Assert.Equal(TimeSpan.FromSeconds(32), s.TimerD(reliable: false));
        Assert.Equal(TimeSpan.Zero, s.TimerD(reliable: true));
        Assert.Equal(TimeSpan.FromSeconds(5), s.TimerI(reliable: false));
        Assert.Equal(TimeSpan.Zero, s.TimerI(reliable: true));
        Assert.Equal(TimeSpan.FromSeconds(32), s.TimerJ(reliable: false));
        Assert.Equal(TimeSpan.Zero, s.TimerJ(reliable: true));
        Assert.Equal(TimeSpan.FromSeconds(5), s.TimerK(reliable: false));
        Assert.Equal(TimeSpan.Zero, s.TimerK(reliable: true));
    }

    [Fact]
    public void Invalid_values_are_rejected()
    {
        var second = TimeSpan.FromSeconds(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SipTimerSettings(TimeSpan.Zero, second, second));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SipTimerSettings(second, second / 2, second));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SipTimerSettings(second, second, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SipTimerSettings(second, second, second, TimeSpan.FromSeconds(-1)));
    }

    [Fact]
    public void Custom_T1_and_T2_scale_the_client_INVITE_timers()
    {
        using var h = new TransactionHarness(Fast);
        h.StartInvite(TransactionHarness.Udp);
        h.AdvanceTo(10_000);

        Assert.Equal(new long[] { 0, 100, 300, 700, 1500, 3100, 6300 }, h.Sender.TimesOf("INVITE"));
        Assert.Equal(new long[] { 6400 }, h.User.TimesOf("timeout"));

        var tx = h.StartInvite(TransactionHarness.Udp, "z9hG4bK-d");
        h.Respond(486, branch: "z9hG4bK-d");
        h.AdvanceTo(10_000 + 3000 - 1);
        Assert.Equal(TransactionState.Completed, tx.State);
        h.AdvanceTo(10_000 + 3000);
        Assert.Equal(TransactionState.Terminated, tx.State);
    }

    [Fact]
    public void Custom_T1_T2_and_T4_scale_the_client_non_INVITE_timers()
    {
        using var h = new TransactionHarness(Fast);
        h.StartOptions(TransactionHarness.Udp);
        h.AdvanceTo(10_000);

        Assert.Equal(new long[] { 0, 100, 300, 700, 1500, 2500, 3500, 4500, 5500 }, h.Sender.TimesOf("OPTIONS"));
        Assert.Equal(new long[] { 6400 }, h.User.TimesOf("timeout"));

        var tx = h.StartOptions(TransactionHarness.Udp, "z9hG4bK-k");
        h.Respond(200, SipMethod.Options, "z9hG4bK-k");
        h.AdvanceTo(10_000 + 2000 - 1);
        Assert.Equal(TransactionState.Completed, tx.State);
        h.AdvanceTo(10_000 + 2000);
        Assert.Equal(TransactionState.Terminated, tx.State);
    }

    [Fact]
    public void Custom_T1_T2_and_T4_scale_the_server_timers()
    {
        using var h = new TransactionHarness(Fast);
        var busy = h.CreateServerInvite(TransactionHarness.Udp, "z9hG4bK-g");
        busy.SendFinalResponse(486, TransactionHarness.Bytes("486"));
        var ok = h.CreateServerInvite(TransactionHarness.Udp, "z9hG4bK-l");
        ok.SendFinalResponse(200, TransactionHarness.Bytes("200"));
        var options = h.CreateServerNonInvite(TransactionHarness.Udp);
        options.SendFinalResponse(200, TransactionHarness.Bytes("200 OPTIONS"));
        h.AdvanceTo(10_000);

        Assert.Equal(new long[] { 0, 100, 300, 700, 1500, 2500, 3500, 4500, 5500 }, h.Sender.TimesOf("486"));
        Assert.Equal(new long[] { 0, 100, 300, 700, 1500, 2500, 3500, 4500, 5500 }, h.Sender.TimesOf("200"));
        Assert.Equal(new long[] { 6400 }, h.User.TimesOf("timeout"));
        Assert.Equal(new long[] { 6400 }, h.User.TimesOf("no-ack"));
        Assert.Equal(TransactionState.Terminated, options.State);

        var confirmed = h.CreateServerInvite(TransactionHarness.Udp, "z9hG4bK-i");
        confirmed.SendFinalResponse(486, TransactionHarness.Bytes("486 again"));
        h.Receive(SipMethod.Ack, "z9hG4bK-i");
        h.AdvanceTo(10_000 + 2000 - 1);
        Assert.Equal(TransactionState.Confirmed, confirmed.State);
        h.AdvanceTo(10_000 + 2000);
        Assert.Equal(TransactionState.Terminated, confirmed.State);
    }

    [Fact]
    public void Custom_T1_scales_timer_J()
    {
        using var h = new TransactionHarness(Fast);
        var options = h.CreateServerNonInvite(TransactionHarness.Udp);
        options.SendFinalResponse(200, TransactionHarness.Bytes("200 OPTIONS"));
        h.AdvanceTo(6399);
        Assert.Equal(TransactionState.Completed, options.State);
        h.AdvanceTo(6400);
        Assert.Equal(TransactionState.Terminated, options.State);
    }
}
