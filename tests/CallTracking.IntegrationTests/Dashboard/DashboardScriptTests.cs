using CallTracking.IntegrationTests.Infrastructure;
using CallTracking.IntegrationTests.Infrastructure.Browser;

namespace CallTracking.IntegrationTests.Dashboard;

/// <summary>
/// The dashboard's JavaScript unit tests (Dashboard/node/*.test.mjs: protobuf codec, gRPC-Web frames, client and
/// reconnecting subscription) under node's built-in runner, with the codec checked against bytes made by
/// Google.Protobuf (<see cref="ProtobufFixtures"/>). One xunit test, so tests/run counts them.
/// </summary>
public sealed class DashboardScriptTests
{
    [Fact]
    public async Task Dashboard_codec_and_gRPC_Web_client_pass_their_node_tests_against_Google_Protobuf_bytes()
    {
        var directory = TestDirectory.Create();
        var fixtures = directory.File("protobuf-fixtures.json");
        await ProtobufFixtures.WriteAsync(fixtures);

        var result = await NodeRunner.RunAsync(
            RepositoryPaths.Root,
            ["--test", "--test-reporter=tap", RepositoryPaths.Combine("tests", "CallTracking.IntegrationTests", "Dashboard", "node")],
            new Dictionary<string, string> { ["CALLTRACKING_PROTOBUF_FIXTURES"] = fixtures },
            TimeSpan.FromMinutes(2),
            directory.File("node-test.log"));

        Assert.True(result.Succeeded, result.ToString());

        // Every test ran: none skipped for want of the fixtures, and there were some.
        Assert.Contains("# fail 0", result.Output, StringComparison.Ordinal);
        Assert.Contains("# skipped 0", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("# pass 0", result.Output, StringComparison.Ordinal);
    }
}
