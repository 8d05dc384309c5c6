using System.Net;
using System.Net.Sockets;
using CallTracking.IntegrationTests.Infrastructure;

namespace CallTracking.IntegrationTests.Sip;

/// <summary>Start-up failures an operator meets, and a clean shutdown that does not strand callers.</summary>
[Collection(SippCollection.Name)]
public sealed class EngineLifecycleTests
{
    [Fact]
    public async Task Sip_port_in_use_stops_start_up_with_exit_code_69_naming_the_endpoint()
    {
        var directory = TestDirectory.Create();
        var port = FreePorts.Next();
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        squatter.Bind(new IPEndPoint(IPAddress.Loopback, port));

        var failure = await Assert.ThrowsAsync<EngineStartException>(() => EngineProcess.StartAsync(directory, port, EngineConfigs.Standard(port)));

        Assert.Contains("code 69", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"cannot listen for SIP on udp:127.0.0.1:{port}", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigterm_hangs_up_answered_calls_with_BYE_and_exits_0()
    {
        var directory = TestDirectory.Create();
        await using var engine = await SippAgainstEngine.StartEngineAsync(directory);

        var caller = Sipp.RunAsync(directory, SippAgainstEngine.At(engine, new SippOptions
        {
            Name = "caller",
            Scenario = "invite_wait_for_engine_bye.xml",
            Service = EngineConfigs.TrackedNumber,
            Calls = 1,
        }));
        await SippAgainstEngine.WaitForLogAsync(engine, "@127.0.0.1 answered"); // not just "answered": the log names the data folder, whose name is this test's

        var exitCode = await engine.StopAsync();

        Assert.True(exitCode == 0, $"engine exit code {exitCode}\n{engine.LogTail()}");
        SippAgainstEngine.AssertAllCallsSucceeded(await caller, 1, engine);
        Assert.Contains("ended: Shutdown", engine.Log, StringComparison.Ordinal);
    }
}
