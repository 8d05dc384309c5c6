using CallTracking.IntegrationTests.Infrastructure;

namespace CallTracking.IntegrationTests.Sip;

/// <summary>Shared steps of the engine-facing SIP tests: start the engine, run sipp at it, assert with both logs.</summary>
internal static class SippAgainstEngine
{
    public static async Task<EngineProcess> StartEngineAsync(TestDirectory directory, params string[] arguments)
    {
        var sipPort = FreePorts.Next();
        return await EngineProcess.StartAsync(directory, sipPort, EngineConfigs.Standard(sipPort), arguments);
    }

    public static SippOptions At(EngineProcess engine, SippOptions options) =>
        options with { Remote = $"127.0.0.1:{engine.SipPort}" };

    public static void AssertAllCallsSucceeded(SippResult result, int expectedCalls, EngineProcess engine)
    {
        Assert.True(result.ExitCode == 0, result.Describe(engine));
        Assert.True(result.SuccessfulCalls == expectedCalls && result.FailedCalls == 0, result.Describe(engine));
    }
}
