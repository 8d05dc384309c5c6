using CallTracking.IntegrationTests.Infrastructure;
using CallTracking.IntegrationTests.Infrastructure.Browser;

namespace CallTracking.IntegrationTests.Dni;

/// <summary>
/// The number matching of <c>/dni.js</c> (Dni/node/dni.test.cjs: every common US layout, UK trunk prefix, tel: URIs,
/// numbers that must stay) under node's built-in runner. One xunit test, so tests/run counts them.
/// </summary>
public sealed class DniScriptTests
{
    [Fact]
    public async Task Dni_script_number_matching_passes_its_node_tests()
    {
        var directory = TestDirectory.Create();
        var result = await NodeRunner.RunAsync(
            RepositoryPaths.Root,
            ["--test", "--test-reporter=tap", RepositoryPaths.Combine("tests", "CallTracking.IntegrationTests", "Dni", "node")],
            null,
            TimeSpan.FromMinutes(2),
            directory.File("node-test.log"));

        Assert.True(result.Succeeded, result.ToString());
        Assert.Contains("# fail 0", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("# pass 0", result.Output, StringComparison.Ordinal);
    }
}
