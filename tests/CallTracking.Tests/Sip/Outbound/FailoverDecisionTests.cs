using CallTracking.Engine.Sip.Outbound;

namespace CallTracking.Tests.Sip.Outbound;

public class FailoverDecisionTests
{
    [Theory]
    [InlineData(200, FailoverAction.Answered)]
    [InlineData(202, FailoverAction.Answered)]
    [InlineData(401, FailoverAction.Authenticate)]
    [InlineData(407, FailoverAction.Authenticate)]
    [InlineData(408, FailoverAction.TryNext)]
    [InlineData(480, FailoverAction.TryNext)]
    [InlineData(503, FailoverAction.TryNext)]
    [InlineData(504, FailoverAction.TryNext)]
    [InlineData(404, FailoverAction.Fail)]
    [InlineData(486, FailoverAction.Fail)]
    [InlineData(603, FailoverAction.Fail)]
    [InlineData(487, FailoverAction.Fail)]
    [InlineData(500, FailoverAction.Fail)]
    [InlineData(403, FailoverAction.Fail)]
    public void Final_response_decides_fail_over(int status, FailoverAction expected)
        => Assert.Equal(expected, FailoverDecision.ForStatus(status));

    [Fact]
    public void Timeout_and_transport_error_fail_over()
        => Assert.Equal(FailoverAction.TryNext, FailoverDecision.ForTimeoutOrTransportError());
}
