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

    /// <summary>The one traced message that matches; fails with the whole trace when there is none or several.</summary>
    public static TracedSipMessage Single(SippResult result, Func<TracedSipMessage, bool> match)
    {
        var found = result.Messages.Where(match).ToList();
        Assert.True(found.Count == 1, $"Expected one matching message in sipp's trace, found {found.Count}.\n{result.MessageTrace}");
        return found[0];
    }

    /// <summary>Polls the engine's log until it holds <paramref name="text"/> (call end lines follow the last response).</summary>
    public static async Task WaitForLogAsync(EngineProcess engine, string text, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (!engine.Log.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"\"{text}\" not in the engine log.\n{engine.LogTail(40)}");
            await Task.Delay(50);
        }
    }

    /// <summary>The SIP port sipp bound (-p), read from its command line.</summary>
    public static string SippPort(SippResult result) =>
        System.Text.RegularExpressions.Regex.Match(result.CommandLine, @" -p (\d+)").Groups[1].Value;
}
