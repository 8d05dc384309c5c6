using CallTracking.IntegrationTests.Infrastructure;

namespace CallTracking.IntegrationTests.Sip;

[Collection(SippCollection.Name)]
public sealed class CancelTests
{
    /// <summary>
    /// The caller hangs up while the call is still being set up. The engine would
    /// answer at once, so this test starts it with Sip:AnswerDelayMs=3000 (a config
    /// key the SIP layer reads: hold the final answer this long) so that the
    /// CANCEL sent right after the first provisional response arrives first.
    /// </summary>
    [Theory]
    [InlineData(SippTransport.Udp)]
    [InlineData(SippTransport.Tcp)]
    public async Task Cancel_before_answer_ends_in_487(SippTransport transport)
    {
        var directory = TestDirectory.Create($"{nameof(Cancel_before_answer_ends_in_487)}-{transport}");
        await using var engine = await SippAgainstEngine.StartEngineAsync(directory, "--Sip:AnswerDelayMs=3000");

        var result = await Sipp.RunAsync(directory, SippAgainstEngine.At(engine, new SippOptions
        {
            Name = "uac",
            Scenario = "invite_cancel_expect_487.xml",
            Service = EngineConfigs.TrackedNumber,
            Transport = transport,
            Calls = 1,
        }));

        SippAgainstEngine.AssertAllCallsSucceeded(result, 1, engine);
    }
}
