using System.Text.Json;
using CallTracking.IntegrationTests.Audio;
using CallTracking.IntegrationTests.Infrastructure;
using CallTracking.IntegrationTests.Infrastructure.Browser;
using CallTracking.IntegrationTests.Sip;
using Npgsql;
using Xunit.Abstractions;

namespace CallTracking.IntegrationTests.Dashboard;

/// <summary>
/// The dashboard in Debian's Chromium (headless, through playwright-core) against the engine as a process, with
/// nothing standing in for it: browser/dashboard-signin.cjs signs in and out (password, API key, a session ended
/// elsewhere); browser/dashboard-live-call.cjs watches a call placed with sipp go across the live board, the call
/// list and the call page. Screenshots land in the test's folder (screenshots/, under $CALLTRACKING_TEST_OUTPUT
/// when set).
/// </summary>
[Collection(SippCollection.Name)]
public sealed class DashboardBrowserTests(DashboardEngineFixture fixture, ITestOutputHelper output) : IClassFixture<DashboardEngineFixture>
{
    /// <summary>The issue's bound: a call is on the board within a second of the engine committing call.started.</summary>
    private static readonly TimeSpan BoardLatency = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Signing_in_with_a_password_or_an_API_key_shows_the_live_board_and_a_wrong_password_an_error()
    {
        var directory = TestDirectory.Create();

        // Organisation "Other" never gets calls: its board and call list are empty whichever test ran first.
        var result = await BrowserScript.RunAsync(
            directory,
            "tests/CallTracking.IntegrationTests/Dashboard/browser/dashboard-signin.cjs",
            [],
            new Dictionary<string, string>
            {
                ["DASHBOARD_URL"] = fixture.BaseAddress.ToString(),
                ["DASHBOARD_USER"] = "olga",
                ["DASHBOARD_PASSWORD"] = DashboardEngineFixture.Password,
                ["DASHBOARD_API_KEY"] = fixture.OtherApiKey,
                ["DASHBOARD_ORGANISATION"] = "Other",
                ["DASHBOARD_CAMPAIGN"] = "Spring mailer",
            });

        Assert.True(result.Succeeded, result.ToString());
        foreach (var name in new[] { "signin", "signin-wrong-password", "board", "calls-empty", "signin-session-ended", "board-key-dark" })
        {
            Assert.True(File.Exists(Path.Combine(directory.Path, "screenshots", name + ".png")), $"no screenshot {name}.png{Environment.NewLine}{result}");
        }
    }

    [Fact]
    public async Task A_call_placed_with_sipp_is_on_the_live_board_within_a_second_follows_the_call_and_its_page_plays_the_recording()
    {
        var directory = TestDirectory.Create();
        await using var business = await Sipp.StartAsync(directory, new SippOptions
        {
            Name = "business",
            Scenario = "peers/uas_ring_answer_echo.xml",
            LocalPort = fixture.BusinessPort,
            Calls = 1,
            Timeout = TimeSpan.FromSeconds(60),
            RecvTimeout = TimeSpan.FromSeconds(50),
            ExtraArguments = ["-rtp_echo"],
        });

        var ready = directory.File("board-ready");
        var measured = directory.File("live-call.json");
        var browser = BrowserScript.RunAsync(
            directory,
            "tests/CallTracking.IntegrationTests/Dashboard/browser/dashboard-live-call.cjs",
            [],
            new Dictionary<string, string>
            {
                ["DASHBOARD_URL"] = fixture.BaseAddress.ToString(),
                ["DASHBOARD_USER"] = "alice",
                ["DASHBOARD_PASSWORD"] = DashboardEngineFixture.Password,
                ["DASHBOARD_TRACKING_NUMBER"] = DashboardEngineFixture.TrackingNumber,
                ["DASHBOARD_READY_FILE"] = ready,
                ["DASHBOARD_RESULT_FILE"] = measured,
            });

        // The call is placed once the board is subscribed (the stream starts from "now").
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!File.Exists(ready))
        {
            if (browser.IsCompleted)
            {
                Assert.Fail("the browser script ended before the board was live" + Environment.NewLine + await browser);
            }

            Assert.True(DateTime.UtcNow < deadline, "the board did not get live within 60 s");
            await Task.Delay(50);
        }

        // 5 s of caller audio, so the call is on the board long enough to watch it (and the recording to play).
        var uac = await CallAsync(directory, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5.5));
        var businessResult = await business.WaitForExitAsync(TimeSpan.FromSeconds(15));
        Assert.True(businessResult.AllSucceeded, businessResult.Describe(fixture.Engine));

        var result = await browser;
        Assert.True(result.Succeeded, result + Environment.NewLine + fixture.Engine.LogTail(30));
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(measured));
        var callId = Guid.Parse(json.RootElement.GetProperty("callId").GetString()!);
        var shownAt = DateTimeOffset.FromUnixTimeMilliseconds(json.RootElement.GetProperty("shownAt").GetInt64());
        var insertedAt = DateTimeOffset.FromUnixTimeMilliseconds(json.RootElement.GetProperty("observedAt").GetInt64());

        // The card is the call sipp placed.
        var (sipCallId, startedAt) = await CallStartedAsync(callId);
        Assert.Equal(uac.Messages[0].CallId, sipCallId);

        // occurred_at is stamped before the transaction commits, so (card time - occurred_at) bounds the latency from
        // the commit from above. The card's time is when the page inserted it (a MutationObserver, by the page's
        // clock: one machine, one clock); waitForSelector's own time comes later by its polling interval (Playwright
        // backs off to 500 ms between polls), so it is reported, not asserted on.
        var latency = insertedAt - startedAt;
        output.WriteLine($"call.started occurred {startedAt:HH:mm:ss.fff}; card inserted {insertedAt:HH:mm:ss.fff} (+{latency.TotalMilliseconds:0} ms), seen by waitForSelector {shownAt:HH:mm:ss.fff} (+{(shownAt - startedAt).TotalMilliseconds:0} ms)");
        Assert.True(latency < BoardLatency, $"the card appeared {latency.TotalMilliseconds:0} ms after call.started");
        Assert.True(latency > TimeSpan.FromMilliseconds(-50), $"the card appeared before call.started was stamped ({latency.TotalMilliseconds:0} ms): clocks?");
        Assert.True(shownAt >= insertedAt, "waitForSelector saw the card before it was inserted");

        foreach (var name in new[] { "board-live-call", "board-ended", "calls-list", "call-page" })
        {
            var screenshot = Path.Combine(directory.Path, "screenshots", name + ".png");
            Assert.True(File.Exists(screenshot), $"no screenshot {name}.png{Environment.NewLine}{result}");
            output.WriteLine($"screenshot {screenshot}");
        }
    }

    /// <summary>sipp as the caller "Dana Whitfield" +14155550123 (a California number), dialling Acme's tracking number.</summary>
    private async Task<SippResult> CallAsync(TestDirectory directory, TimeSpan audio, TimeSpan hangupAfter)
    {
        var template = await File.ReadAllTextAsync(Path.Combine(Sipp.ScenarioDirectory, SippAudio.PlayAudioScenario(G711Law.MuLaw)));
        var scenario = directory.File("uac_dana.xml");
        var named = template.Replace("sipp <sip:+15550000001@", "\"Dana Whitfield\" <sip:+14155550123@", StringComparison.Ordinal)
            .Replace("<sip:+15550000001@", "<sip:+14155550123@", StringComparison.Ordinal);
        Assert.NotEqual(template, named);
        await File.WriteAllTextAsync(scenario, named, System.Text.Encoding.Latin1);

        var pcap = Media.MediaCalls.WritePcap(directory, TestAudio.Sweep(audio), G711Law.MuLaw);
        var uac = await Sipp.RunAsync(directory, SippAgainstEngine.At(fixture.Engine, new SippOptions
        {
            Name = "caller",
            Scenario = scenario,
            Service = DashboardEngineFixture.TrackingNumber,
            Calls = 1,
            Keys = SippAudio.PlayAudioKeys(pcap, hangupAfter),
            Timeout = hangupAfter + TimeSpan.FromSeconds(10),
        }));
        SippAgainstEngine.AssertAllCallsSucceeded(uac, 1, fixture.Engine);
        return uac;
    }

    private async Task<(string? SipCallId, DateTimeOffset StartedAt)> CallStartedAsync(Guid callId)
    {
        await using var connection = new NpgsqlConnection(fixture.Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT c.sip_call_id, e.occurred_at FROM calls c JOIN events e ON e.call_id = c.id AND e.kind = 'call.started' WHERE c.id = $1",
            connection);
        command.Parameters.Add(new() { Value = callId });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"no call.started for {callId}");
        return (reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1));
    }
}
