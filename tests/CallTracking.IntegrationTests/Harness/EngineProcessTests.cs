using CallTracking.IntegrationTests.Infrastructure;

namespace CallTracking.IntegrationTests.Harness;

[Collection(SippCollection.Name)]
public sealed class EngineProcessTests
{
    [Fact]
    public void The_engine_is_in_the_test_output()
    {
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "calltracking.dll")));
        Assert.True(File.Exists(Path.Combine(Sipp.ScenarioDirectory, "invite_expect_404.xml")));
    }

    [Fact]
    public async Task An_engine_that_cannot_start_fails_fast_with_its_log()
    {
        var directory = TestDirectory.Create();
        var started = DateTime.UtcNow;

        var failure = await Assert.ThrowsAsync<EngineStartException>(
            () => EngineProcess.StartAsync(directory, FreePorts.Next(), "{ this is not JSON"));

        Assert.True(DateTime.UtcNow - started < EngineProcess.ReadyTimeout, $"took {DateTime.UtcNow - started}");
        Assert.Contains("engine log", failure.Message, StringComparison.Ordinal);
        Assert.Contains("calltracking.dll run --config", File.ReadAllText(directory.File("engine.log")), StringComparison.Ordinal);
    }

    [Fact]
    public void Free_ports_are_distinct()
    {
        var ports = Enumerable.Range(0, 50).Select(_ => FreePorts.Next()).ToList();
        Assert.Equal(ports.Count, ports.Distinct().Count());
        var range = FreePorts.NextRange(4);
        Assert.DoesNotContain(range, ports);
    }

    [Fact]
    public async Task The_readiness_probe_sees_a_sip_stack_and_only_a_sip_stack()
    {
        var directory = TestDirectory.Create();
        await using var peer = await Sipp.StartAsync(directory, new SippOptions
        {
            Name = "peer", Scenario = "peers/uas_options_200.xml", Timeout = TimeSpan.FromSeconds(30),
        });

        Assert.True(await SipOptionsProbe.AnswersAsync(peer.LocalPort, TimeSpan.FromSeconds(2)));
        Assert.False(await SipOptionsProbe.AnswersAsync(FreePorts.Next(), TimeSpan.FromMilliseconds(300)));
    }
}
