using System.Net;
using CallTracking.IntegrationTests.Infrastructure;

namespace CallTracking.IntegrationTests.Harness;

/// <summary>
/// Proves the scenarios in Scenarios/ and the <see cref="Sipp"/> harness against
/// sipp peers (Scenarios/peers/ and sipp's built-in UAS), so that when an engine
/// test fails, the engine is at fault and not the scenario.
/// </summary>
[Collection(SippCollection.Name)]
public sealed class SippScenarioTests
{
    public static TheoryData<string, string, SippTransport> ScenarioAndPeer()
    {
        var data = new TheoryData<string, string, SippTransport>();
        foreach (var transport in new[] { SippTransport.Udp, SippTransport.Tcp })
        {
            data.Add("invite_expect_404.xml", "peers/uas_404.xml", transport);
            data.Add("invite_expect_403.xml", "peers/uas_403.xml", transport);
            data.Add("options_expect_200.xml", "peers/uas_options_200.xml", transport);
            data.Add("invite_cancel_expect_487.xml", "peers/uas_trying_until_cancel.xml", transport);
            data.Add("invite_cancel_expect_487.xml", "peers/uas_ringing_until_cancel.xml", transport);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ScenarioAndPeer))]
    public async Task Sipp_scenarios_behave_against_a_sipp_peer(string scenario, string peerScenario, SippTransport transport)
    {
        var directory = TestDirectory.Create($"{nameof(Sipp_scenarios_behave_against_a_sipp_peer)}-{Path.GetFileNameWithoutExtension(scenario)}-{transport}");
        await using var peer = await Sipp.StartAsync(directory, new SippOptions
        {
            Name = "peer",
            Scenario = peerScenario,
            Transport = transport,
            Timeout = TimeSpan.FromSeconds(60),
        });

        var uac = await Sipp.RunAsync(directory, new SippOptions
        {
            Name = "uac",
            Scenario = scenario,
            Remote = peer.Address,
            Service = EngineConfigs.TrackedNumber,
            Transport = transport,
            Calls = 3,
            Rate = 10,
            Timeout = TimeSpan.FromSeconds(15),
            RecvTimeout = TimeSpan.FromSeconds(3),
        });
        var peerResult = await peer.StopAsync();

        Assert.True(uac.AllSucceeded, uac.Describe());
        Assert.Equal(3, uac.SuccessfulCalls);
        Assert.True(peerResult.ExitCode == 0 && peerResult.SuccessfulCalls == 3, "peer: " + peerResult.Describe());
    }

    [Theory]
    [InlineData(SippTransport.Udp)]
    [InlineData(SippTransport.Tcp)]
    public async Task Builtin_uac_calls_complete_against_builtin_uas(SippTransport transport)
    {
        var directory = TestDirectory.Create($"{nameof(Builtin_uac_calls_complete_against_builtin_uas)}-{transport}");
        await using var peer = await Sipp.StartAsync(directory, new SippOptions
        {
            Name = "uas", BuiltIn = "uas", Transport = transport, Timeout = TimeSpan.FromSeconds(60),
        });

        var uac = await Sipp.RunAsync(directory, new SippOptions
        {
            Name = "uac",
            BuiltIn = "uac",
            Remote = peer.Address,
            Service = EngineConfigs.TrackedNumber,
            Transport = transport,
            Calls = 40,
            Rate = 40,
            Limit = 100,
            Timeout = TimeSpan.FromSeconds(20),
        });
        await peer.StopAsync();

        Assert.True(uac.ExitCode == 0, uac.Describe());
        Assert.Equal((40, 0), (uac.SuccessfulCalls, uac.FailedCalls));
        Assert.Contains($"INVITE sip:{EngineConfigs.TrackedNumber}@{peer.Address}", uac.MessageTrace, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sipp_bound_to_another_loopback_address_is_seen_from_that_address()
    {
        var directory = TestDirectory.Create();
        await using var peer = await Sipp.StartAsync(directory, new SippOptions
        {
            Name = "peer", Scenario = "peers/uas_403.xml", Timeout = TimeSpan.FromSeconds(60),
        });

        var uac = await Sipp.RunAsync(directory, new SippOptions
        {
            Name = "uac",
            Scenario = "invite_expect_403.xml",
            Remote = peer.Address,
            Service = EngineConfigs.TrackedNumber,
            BindAddress = IPAddress.Parse("127.0.0.2"),
            Calls = 1,
        });
        var peerResult = await peer.StopAsync();

        Assert.True(uac.AllSucceeded, uac.Describe());
        Assert.Contains("message received [", peerResult.MessageTrace, StringComparison.Ordinal);
        Assert.Contains("Via: SIP/2.0/UDP 127.0.0.2:", peerResult.MessageTrace, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_final_response_fails_the_call_with_an_error_trace()
    {
        var directory = TestDirectory.Create();
        await using var peer = await Sipp.StartAsync(directory, new SippOptions
        {
            Name = "peer", Scenario = "peers/uas_403.xml", Timeout = TimeSpan.FromSeconds(60),
        });

        var uac = await Sipp.RunAsync(directory, new SippOptions
        {
            Name = "uac",
            Scenario = "invite_expect_404.xml",
            Remote = peer.Address,
            Service = EngineConfigs.TrackedNumber,
            Calls = 2,
            Rate = 10,
            RecvTimeout = TimeSpan.FromSeconds(2),
        });
        await peer.StopAsync();

        Assert.Equal(1, uac.ExitCode);
        Assert.Equal((0, 2), (uac.SuccessfulCalls, uac.FailedCalls));
        Assert.Contains("403 Forbidden", uac.ErrorTrace, StringComparison.Ordinal);
        Assert.Contains("sipp error trace", uac.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_answer_fails_fast_by_the_receive_timeout()
    {
        var directory = TestDirectory.Create();
        var nobody = FreePorts.Next();
        var started = DateTime.UtcNow;

        var uac = await Sipp.RunAsync(directory, new SippOptions
        {
            Name = "uac",
            Scenario = "options_expect_200.xml",
            Remote = $"127.0.0.1:{nobody}",
            Service = EngineConfigs.TrackedNumber,
            Calls = 1,
            RecvTimeout = TimeSpan.FromSeconds(2),
        });

        Assert.NotEqual(0, uac.ExitCode);
        Assert.Equal(1, uac.FailedCalls);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(15), $"took {DateTime.UtcNow - started}");
    }
}
