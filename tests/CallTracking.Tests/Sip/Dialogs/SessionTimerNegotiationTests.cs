using CallTracking.Engine.Sip.Dialogs;

namespace CallTracking.Tests.Sip.Dialogs;

public sealed class SessionTimerNegotiationTests
{
    private readonly SessionTimerNegotiation _negotiation = new(defaultIntervalSeconds: 1800, minSESeconds: 90);

    [Fact]
    public void Requested_interval_and_refresher_are_honoured()
    {
        using var invite = ParsedMessage.Invite("Supported: timer\r\nSession-Expires: 600;refresher=uac\r\nMin-SE: 90\r\n");
        var decision = _negotiation.Decide(invite);
        Assert.False(decision.Reject);
        Assert.Equal(600, decision.IntervalSeconds);
        Assert.Equal(SessionRefresher.Uac, decision.Refresher);
        Assert.True(decision.RequireTimer);
    }

    [Fact]
    public void Interval_below_our_Min_SE_is_rejected_with_422_and_our_minimum()
    {
        var strict = new SessionTimerNegotiation(1800, 300);
        using var invite = ParsedMessage.Invite("Supported: timer\r\nSession-Expires: 120\r\n");
        var decision = strict.Decide(invite);
        Assert.True(decision.Reject);
        Assert.Equal(300, decision.MinSESeconds);
    }

    [Fact]
    public void Uac_that_supports_timers_without_refresher_parameter_refreshes_itself()
    {
        using var invite = ParsedMessage.Invite("Supported: 100rel, timer\r\nSession-Expires: 1800\r\n");
        var decision = _negotiation.Decide(invite);
        Assert.Equal(SessionRefresher.Uac, decision.Refresher);
        Assert.True(decision.RequireTimer);
    }

    [Fact]
    public void Uac_without_timer_support_leaves_refreshing_to_us_and_gets_no_Require()
    {
        using var invite = ParsedMessage.Invite();
        var decision = _negotiation.Decide(invite);
        Assert.False(decision.Reject);
        Assert.Equal(1800, decision.IntervalSeconds);
        Assert.Equal(SessionRefresher.Uas, decision.Refresher);
        Assert.False(decision.RequireTimer);
    }

    [Fact]
    public void Refresher_uac_from_a_uac_that_does_not_support_timers_falls_to_us()
    {
        using var invite = ParsedMessage.Invite("Session-Expires: 900;refresher=uac\r\n");
        Assert.Equal(SessionRefresher.Uas, _negotiation.Decide(invite).Refresher);
    }

    [Fact]
    public void Compact_form_x_is_read_as_Session_Expires()
    {
        using var invite = ParsedMessage.Invite("k: timer\r\nx: 400;refresher=uas\r\n");
        var decision = _negotiation.Decide(invite);
        Assert.Equal(400, decision.IntervalSeconds);
        Assert.Equal(SessionRefresher.Uas, decision.Refresher);
    }

    [Theory]
    [InlineData(1800, 900, 1768)]
    [InlineData(90, 45, 60)]
    public void Refresh_and_expiry_waits_follow_RFC_4028_section_10(int interval, double refreshSeconds, double expirySeconds)
    {
        var decision = new SessionTimerDecision(false, interval, SessionRefresher.Uas, true, 90);
        Assert.Equal(TimeSpan.FromSeconds(refreshSeconds), decision.RefreshWait);
        Assert.Equal(TimeSpan.FromSeconds(expirySeconds), decision.ExpiryWait);
    }
}
