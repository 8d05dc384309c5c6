using CallTracking.IntegrationTests.Infrastructure;

namespace CallTracking.IntegrationTests.Sip;

/// <summary>A trunk with Inbound credentials challenges INVITEs (RFC 3261 §22.2); sipp answers the challenge.</summary>
[Collection(SippCollection.Name)]
public sealed class DigestAuthTests
{
    private static object Config(int sipPort) => new
    {
        Sip = new { Listen = new[] { $"udp:127.0.0.1:{sipPort}", $"tcp:127.0.0.1:{sipPort}" } },
        Media = new { Address = "127.0.0.1" },
        Trunks = new[]
        {
            new { Name = "carrier", Allow = new[] { "127.0.0.1/32" }, Inbound = new { Username = "u", Password = "p", Realm = "calltracking" } },
        },
        Numbers = new[] { new { Number = EngineConfigs.TrackedNumber, Name = "Google Ads" } },
    };

    private static async Task<EngineProcess> StartAsync(TestDirectory directory)
    {
        var sipPort = FreePorts.Next();
        return await EngineProcess.StartAsync(directory, sipPort, Config(sipPort));
    }

    [Fact]
    public async Task Challenged_invite_retried_with_credentials_is_answered()
    {
        var directory = TestDirectory.Create();
        await using var engine = await StartAsync(directory);

        var result = await Sipp.RunAsync(directory, SippAgainstEngine.At(engine, new SippOptions
        {
            Name = "uac",
            Scenario = "invite_digest_expect_200.xml",
            Service = EngineConfigs.TrackedNumber,
            Calls = 1,
            ExtraArguments = ["-au", "u", "-ap", "p"],
        }));

        SippAgainstEngine.AssertAllCallsSucceeded(result, 1, engine);
        var challenge = SippAgainstEngine.Single(result, m => m.Received && m.StatusCode == 401);
        Assert.Contains("algorithm=SHA-256", challenge.Text, StringComparison.Ordinal);
        Assert.Contains("algorithm=MD5", challenge.Text, StringComparison.Ordinal);
        Assert.Contains("qop=\"auth\"", challenge.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_password_gets_403_after_the_challenge()
    {
        var directory = TestDirectory.Create();
        await using var engine = await StartAsync(directory);

        var result = await Sipp.RunAsync(directory, SippAgainstEngine.At(engine, new SippOptions
        {
            Name = "uac",
            Scenario = "invite_digest_expect_403.xml",
            Service = EngineConfigs.TrackedNumber,
            Calls = 1,
            ExtraArguments = ["-au", "u", "-ap", "wrong"],
        }));

        SippAgainstEngine.AssertAllCallsSucceeded(result, 1, engine);
        await SippAgainstEngine.WaitForLogAsync(engine, "wrong digest credentials");
    }
}
