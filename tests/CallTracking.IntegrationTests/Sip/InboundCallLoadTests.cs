using CallTracking.IntegrationTests.Infrastructure;

namespace CallTracking.IntegrationTests.Sip;

/// <summary>sipp's built-in UAC (INVITE, PCMU offer, ACK, BYE) at a tracking number, 500 calls at 50 per second.</summary>
[Collection(SippCollection.Name)]
public sealed class InboundCallLoadTests
{
    [Fact]
    public Task Sipp_uac_udp_500_calls_at_50_cps_all_succeed() => RunAsync(SippTransport.Udp);

    [Fact]
    public Task Sipp_uac_tcp_500_calls_at_50_cps_all_succeed() => RunAsync(SippTransport.Tcp);

    private static async Task RunAsync(SippTransport transport, [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        var directory = TestDirectory.Create(test);
        await using var engine = await SippAgainstEngine.StartEngineAsync(directory);

        var result = await Sipp.RunAsync(directory, SippAgainstEngine.At(engine, new SippOptions
        {
            Name = "uac",
            BuiltIn = "uac",
            Service = EngineConfigs.TrackedNumber,
            Transport = transport,
            Calls = 500,
            Rate = 50,
            Limit = 100,
            Timeout = TimeSpan.FromSeconds(60),
        }));

        SippAgainstEngine.AssertAllCallsSucceeded(result, 500, engine);
    }
}
