using System.Net;
using CallTracking.IntegrationTests.Infrastructure;

namespace CallTracking.IntegrationTests.Sip;

/// <summary>Who may call which number: unknown numbers and unknown sources are turned away.</summary>
[Collection(SippCollection.Name)]
public sealed class AdmissionTests
{
    [Fact]
    public async Task Unknown_number_gets_404()
    {
        var directory = TestDirectory.Create();
        await using var engine = await SippAgainstEngine.StartEngineAsync(directory);

        var result = await Sipp.RunAsync(directory, SippAgainstEngine.At(engine, new SippOptions
        {
            Name = "uac",
            Scenario = "invite_expect_404.xml",
            Service = "+15559990000",
            Calls = 1,
        }));

        SippAgainstEngine.AssertAllCallsSucceeded(result, 1, engine);
    }

    [Fact]
    public async Task Source_outside_allow_list_gets_403()
    {
        var directory = TestDirectory.Create();
        await using var engine = await SippAgainstEngine.StartEngineAsync(directory);

        // The trunk admits 127.0.0.1/32; on Linux all of 127/8 is loopback, so
        // sipp bound to 127.0.0.2 is a source outside the allow-list.
        var result = await Sipp.RunAsync(directory, SippAgainstEngine.At(engine, new SippOptions
        {
            Name = "uac",
            Scenario = "invite_expect_403.xml",
            Service = EngineConfigs.TrackedNumber,
            BindAddress = IPAddress.Parse("127.0.0.2"),
            Calls = 1,
        }));

        SippAgainstEngine.AssertAllCallsSucceeded(result, 1, engine);
    }

    [Fact]
    public async Task Options_gets_200()
    {
        var directory = TestDirectory.Create();
        await using var engine = await SippAgainstEngine.StartEngineAsync(directory);

        var result = await Sipp.RunAsync(directory, SippAgainstEngine.At(engine, new SippOptions
        {
            Name = "uac",
            Scenario = "options_expect_200.xml",
            Service = EngineConfigs.TrackedNumber,
            Calls = 1,
        }));

        SippAgainstEngine.AssertAllCallsSucceeded(result, 1, engine);
    }
}
