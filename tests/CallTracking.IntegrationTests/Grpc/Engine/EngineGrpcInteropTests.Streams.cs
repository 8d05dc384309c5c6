using System.Text.Json;
using CallTracking.IntegrationTests.Infrastructure;
using CallTracking.IntegrationTests.Sip;

namespace CallTracking.IntegrationTests.Grpc.Engine;

public abstract partial class EngineGrpcInteropTests
{
    [Fact]
    public async Task Subscribe_receives_a_live_sipp_call_started_to_recording_ready_in_id_order_and_another_organisation_sees_none_of_it()
    {
        var opened = Fixture.StreamsOpened;
        using var acme = Start(Stream(new { }, Fixture.AcmeKey), "acme-stream");
        using var bravo = Start(Stream(new { }, Fixture.BravoKey), "bravo-stream");
        await Fixture.WaitForStreamsOpenedAsync(opened + 2);

        var call = (await Fixture.PlaceCallsAsync(EngineGrpcFixture.AcmeForwarded, "+15550000111", 1)).Single();
        var stored = await Fixture.EventsOfAsync([call]);
        var received = await WaitForEventsAsync(acme, r => r.Any(e => Id(e) == stored[^1].Id), "the call's last event");
        var ofCall = received.Where(e => CallId(e) == call.ToString("D")).ToList();
        Assert.Equal(stored.Select(e => e.Id), ofCall.Select(Id));
        Assert.Equal(
            ["call.started", "call.ringing", "call.answered", "call.bridged", "call.ended", "recording.ready"],
            ofCall.Select(Kind).Where(k => k != "call.dtmf"));
        Assert.All(ofCall, e =>
        {
            Assert.Equal(EngineGrpcFixture.AcmeForwarded, e.GetProperty("tracking_number").GetString());
            Assert.Equal(Fixture.Acme.ToString("D"), e.GetProperty("organisation_id").GetString());
        });

        // The typed details match what sipp and the business peer did.
        var started = Detail(ofCall, "call.started", "started");
        Assert.Equal("+15550000111", started.GetProperty("caller_number").GetString());
        Assert.Equal("carrier", started.GetProperty("trunk").GetString());
        Assert.Equal(EngineGrpcFixture.BusinessDestination, Detail(ofCall, "call.ringing", "ringing").GetProperty("destination").GetString());
        Assert.Equal(EngineGrpcFixture.BusinessDestination, Detail(ofCall, "call.bridged", "bridged").GetProperty("destination").GetString());
        var ended = Detail(ofCall, "call.ended", "ended");
        Assert.Equal("answered", ended.GetProperty("disposition").GetString());
        Assert.Equal("caller", ended.GetProperty("hangup_by").GetString());
        var recording = Detail(ofCall, "recording.ready", "recording_ready");
        Assert.Equal("opus", recording.GetProperty("codec").GetString());
        Assert.Equal(2, recording.GetProperty("channels").GetInt32());
        Assert.True(long.Parse(recording.GetProperty("bytes").GetString()!, System.Globalization.CultureInfo.InvariantCulture) > 0, recording.ToString());

        // Bravo's stream, open all along, gets its own call and nothing of Acme's.
        var bravoCall = (await Fixture.PlaceCallsAsync(EngineGrpcFixture.BravoNumber, "+15550000211", 1)).Single();
        var bravoStored = await Fixture.EventsOfAsync([bravoCall]);
        var bravoReceived = await WaitForEventsAsync(bravo, r => r.Any(e => Id(e) == bravoStored[^1].Id), "Bravo's call's last event");
        Assert.Equal(bravoStored.Select(e => e.Id), bravoReceived.Select(Id));
        Assert.Equal("+15550000211", Detail(bravoReceived, "call.started", "started").GetProperty("caller_number").GetString());
        Assert.DoesNotContain(Received(acme), e => CallId(e) == bravoCall.ToString("D"));
    }

    [Fact]
    public async Task Subscriber_killed_mid_stream_resumes_after_its_last_id_with_no_gap_and_no_duplicate()
    {
        var request = new { tracking_numbers = new[] { EngineGrpcFixture.AcmeDirect } };
        var opened = Fixture.StreamsOpened;
        using var uninterrupted = Start(Stream(request, Fixture.AcmeKey), "uninterrupted");
        using var dropped = Start(Stream(request, Fixture.AcmeKey), "dropped");
        await Fixture.WaitForStreamsOpenedAsync(opened + 2);

        // Four calls, two a second, 1.5 s each: events keep coming for seconds after the first three.
        var placing = Fixture.PlaceCallsAsync(EngineGrpcFixture.AcmeDirect, "+15550000121", 4);
        await WaitForEventsAsync(dropped, r => r.Count >= 3, "three events");
        dropped.Kill();
        var beforeDrop = (await dropped.WaitForExitAsync(TimeSpan.FromSeconds(10))).Messages;
        Assert.False(placing.IsCompleted, "the calls ended before the subscriber was killed: nothing tests the resume");

        using var resumed = Start(Stream(new { request.tracking_numbers, resume_after = Id(beforeDrop[^1]) }, Fixture.AcmeKey), "resumed");
        var calls = await placing;
        var stored = (await Fixture.EventsOfAsync(calls)).Select(e => e.Id).ToList();
        await WaitForEventsAsync(uninterrupted, r => r.Any(e => Id(e) == stored[^1]), "the last call's last event");
        await WaitForEventsAsync(resumed, r => r.Any(e => Id(e) == stored[^1]), "the last call's last event after resuming");

        // Let anything that should not come (a duplicate) have its chance to arrive.
        await Task.Delay(700);
        Assert.Equal(stored, Received(uninterrupted).Select(Id));
        Assert.Equal(stored, beforeDrop.Concat(Received(resumed)).Select(Id));
    }

    [Fact]
    public async Task Cancelled_stream_ends_CANCELLED_and_leaves_the_engine_serving_the_others()
    {
        await WaitForEarlierStreamsToCloseAsync();
        var opened = Fixture.StreamsOpened;
        var closed = Fixture.StreamsClosed;
        using var bystander = Start(Stream(new { }, Fixture.AcmeKey), "bystander");
        await Fixture.WaitForStreamsOpenedAsync(opened + 1);
        using var cancelling = Start(Stream(new { }, Fixture.AcmeKey) with { CancelAfter = TimeSpan.FromMilliseconds(1500) }, "cancelling");
        await Fixture.WaitForStreamsOpenedAsync(opened + 2);

        var result = await cancelling.WaitForExitAsync(Patience);
        Assert.Equal("CANCELLED", result.Status);
        Assert.Empty(result.Messages);

        // The engine dropped the cancelled subscriber; the bystander is still its one subscriber and still served.
        Assert.Equal(1, await Fixture.WaitForStreamsClosedAsync(closed + 1));
        var call = (await Fixture.PlaceCallsAsync(EngineGrpcFixture.AcmeDirect, "+15550000141", 1)).Single();
        await WaitForEventsAsync(bystander, r => r.Any(e => CallId(e) == call.ToString("D") && Kind(e) == "recording.ready"), "the new call's recording.ready");

        // A client that dies without cancelling (killed) is dropped too.
        bystander.Kill();
        Assert.Equal(0, await Fixture.WaitForStreamsClosedAsync(closed + 2));
    }

    [Fact]
    public async Task Deadline_ends_a_stream_DEADLINE_EXCEEDED_and_the_engine_keeps_serving()
    {
        await WaitForEarlierStreamsToCloseAsync();
        var closed = Fixture.StreamsClosed;
        var result = await CallAsync(Stream(new { }, Fixture.AcmeKey) with { Timeout = TimeSpan.FromSeconds(1) }, "deadline");
        Assert.Equal("DEADLINE_EXCEEDED", result.Status);
        Assert.Equal(0, await Fixture.WaitForStreamsClosedAsync(closed + 1));

        var health = await CallAsync(Health(Fixture.Target, string.Empty));
        Assert.Equal("SERVING", Assert.Single(health.Messages).GetProperty("status").GetString());
        var list = await CallAsync(Unary("ListCalls", new { page_size = 1 }, Fixture.AcmeKey));
        Assert.Equal("OK", list.Status);
    }

    [Fact]
    public async Task Kinds_and_tracking_numbers_filters_pass_only_matching_events()
    {
        var opened = Fixture.StreamsOpened;
        using var kinds = Start(Stream(new { kinds = new[] { "call.started", "call.ended" } }, Fixture.AcmeKey), "kinds");
        using var numbers = Start(Stream(new { tracking_numbers = new[] { EngineGrpcFixture.AcmeDirect } }, Fixture.AcmeKey), "numbers");
        await Fixture.WaitForStreamsOpenedAsync(opened + 2);

        var forwarded = (await Fixture.PlaceCallsAsync(EngineGrpcFixture.AcmeForwarded, "+15550000131", 1)).Single();
        var direct = (await Fixture.PlaceCallsAsync(EngineGrpcFixture.AcmeDirect, "+15550000132", 1)).Single();
        var stored = await Fixture.EventsOfAsync([forwarded, direct]);
        await WaitForEventsAsync(numbers, r => r.Any(e => Id(e) == stored[^1].Id), "the direct call's last event");
        await WaitForEventsAsync(kinds, r => r.Count >= 4, "four events");
        await Task.Delay(700);

        Assert.Equal(stored.Where(e => e.Kind is "call.started" or "call.ended").Select(e => e.Id), Received(kinds).Select(Id));
        Assert.Equal(["call.started", "call.ended", "call.started", "call.ended"], Received(kinds).Select(Kind));
        Assert.Equal(stored.Where(e => e.Call == direct).Select(e => e.Id), Received(numbers).Select(Id));
        Assert.All(Received(numbers), e => Assert.Equal(EngineGrpcFixture.AcmeDirect, e.GetProperty("tracking_number").GetString()));
    }

    [Fact]
    public async Task Subscribe_resuming_after_zero_replays_a_campaigns_stored_events_then_continues_live()
    {
        var baseline = await Fixture.BaselineAsync();
        var campaign = await Fixture.ScalarAsync<Guid>($"select campaign_id from calls where id = '{baseline.AcmeCall}'");
        var stored = await Fixture.EventsOfCampaignAsync(campaign);
        Assert.NotEmpty(stored);
        using var stream = Start(Stream(new { campaign_ids = new[] { campaign.ToString("D") }, resume_after = 0 }, Fixture.AcmeKey), "replay");
        var replayed = await WaitForEventsAsync(stream, r => r.Count >= stored.Count, $"the {stored.Count} stored events");
        Assert.Equal(stored, replayed.Select(Id));

        // A call to the number without a campaign does not pass; the next call to the campaign's number does.
        await Fixture.PlaceCallsAsync(EngineGrpcFixture.AcmeDirect, "+15550000151", 1);
        await Fixture.PlaceCallsAsync(EngineGrpcFixture.AcmeForwarded, "+15550000152", 1);
        var all = await Fixture.EventsOfCampaignAsync(campaign);
        await WaitForEventsAsync(stream, r => r.Any(e => Id(e) == all[^1]), "the live call's last event");
        await Task.Delay(500);
        Assert.Equal(all, Received(stream).Select(Id));
        Assert.All(Received(stream), e => Assert.Equal(campaign.ToString("D"), e.GetProperty("campaign_id").GetString()));
    }

    [Fact]
    public async Task Engine_stopping_ends_an_open_stream_UNAVAILABLE_naming_the_resume_point()
    {
        var directory = TestDirectory.Create();
        var database = await Fixture.Server.CreateDatabaseAsync();
        var provisioning = directory.File("provision.json");
        await File.WriteAllTextAsync(provisioning, """{ "Organisations": [ { "Name": "Solo" } ] }""");
        var sipPort = FreePorts.Next();
        await using var engine = await EngineProcess.StartAsync(
            directory,
            sipPort,
            EngineConfigs.Standard(sipPort),
            $"--Database:ConnectionString={database}",
            $"--Provisioning:File={provisioning}",
            "--Logging:LogLevel:CallTracking.Engine.Grpc=Debug");
        var target = await EngineGrpcFixture.WaitForGrpcTargetAsync(engine);
        var created = await EngineCli.RunAsync(directory, database, "keys", "create", "--org", "Solo", "--name", "shutdown");
        Assert.True(created.Code == 0, created.Err);

        using var stream = Start(Stream(new { }, created.Out.Trim()) with { Target = target }, "shutdown");
        await SippAgainstEngine.WaitForLogAsync(engine, "Event stream opened", TimeSpan.FromSeconds(20));
        Assert.Equal(0, await engine.StopAsync());
        var result = await stream.WaitForExitAsync(Patience);
        Assert.True(result.Status == "UNAVAILABLE", result.Describe());
        Assert.Contains("resume_after=", result.StatusDetails, StringComparison.Ordinal);
    }

    private static JsonElement Detail(List<JsonElement> events, string kind, string field) =>
        events.Single(e => Kind(e) == kind).GetProperty(field);

    /// <summary>Streams of earlier tests were killed with their clients: the engine has noticed every one (none left open).</summary>
    private async Task WaitForEarlierStreamsToCloseAsync()
    {
        var opened = Fixture.StreamsOpened;
        if (opened > 0)
        {
            Assert.Equal(0, await Fixture.WaitForStreamsClosedAsync(opened));
        }
    }
}
