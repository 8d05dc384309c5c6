using CallTracking.Engine.Events;
using CallTracking.Grpc.Server;
using CallTracking.Grpc.V1;
using CallTracking.IntegrationTests.Infrastructure;

namespace CallTracking.IntegrationTests.Events;

/// <summary>calltracking.v1.CallEvents/Subscribe, called as the wire layer calls it, against a real PostgreSQL.</summary>
public sealed class CallEventsServiceTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private const string Method = "/calltracking.v1.CallEvents/Subscribe";

    [Fact]
    public async Task Streams_carry_only_the_organisations_the_key_sees_and_the_requested_numbers_campaigns_and_kinds()
    {
        await using var db = await EventsDatabase.CreateAsync(server);
        var feed = await db.StartFeedAsync();
        var service = db.EventsService(feed);
        var clientKey = await db.KeyAsync("Client");
        var agencyKey = await db.KeyAsync("Agency");
        var campaign = await db.CampaignAsync(db.Client, "Spring");

        using var stop = new CancellationTokenSource();
        var everythingOfClient = new ListStreamWriter<CallEvent>();
        var everythingOfAgency = new ListStreamWriter<CallEvent>();
        var dtmfOfOneNumber = new ListStreamWriter<CallEvent>();
        var ofCampaign = new ListStreamWriter<CallEvent>();
        var streams = new[]
        {
            Run(service, new SubscribeRequest(), everythingOfClient, clientKey, stop.Token),
            Run(service, new SubscribeRequest(), everythingOfAgency, agencyKey, stop.Token),
            Run(service, new SubscribeRequest { OrganisationIds = { db.Client.ToString() }, TrackingNumbers = { "+15551230002" }, Kinds = { "call.dtmf" } }, dtmfOfOneNumber, agencyKey, stop.Token),
            Run(service, new SubscribeRequest { CampaignIds = { campaign.ToString() } }, ofCampaign, clientKey, stop.Token),
        };
        await WaitForSubscribersAsync(feed, 4);

        var agencyCall = await db.StartCallAsync(db.Agency, "+15551230009");
        var otherCall = await db.StartCallAsync(db.Other, "+15551230008");
        await db.DtmfAsync(otherCall, db.Other);
        var callOne = await db.StartCallAsync(db.Client, "+15551230001", campaign);
        var callTwo = await db.StartCallAsync(db.Client, "+15551230002");
        await db.DtmfAsync(callOne, db.Client, '1');
        await db.DtmfAsync(callTwo, db.Client, '2');
        await db.DtmfAsync(agencyCall, db.Agency, '9');

        var ofClient = await everythingOfClient.WaitForAsync(4);
        var ofAgency = await everythingOfAgency.WaitForAsync(6);
        var dtmf = await dtmfOfOneNumber.WaitForAsync(1);
        var campaignEvents = await ofCampaign.WaitForAsync(2);

        // Let anything that should not come have its chance to arrive, then stop the streams.
        await Task.Delay(1500);
        await stop.CancelAsync();
        foreach (var stream in streams)
        {
            await stream;
        }

        Assert.Equal(4, everythingOfClient.Items.Count);
        Assert.All(ofClient, e => Assert.Equal(db.Client.ToString(), e.OrganisationId));
        Assert.Equal(6, everythingOfAgency.Items.Count);
        Assert.DoesNotContain(ofAgency, e => e.CallId == otherCall.ToString());
        var only = Assert.Single(dtmfOfOneNumber.Items);
        Assert.Equal(callTwo.ToString(), only.CallId);
        Assert.Equal("2", only.Dtmf.Digit);
        Assert.Equal("+15551230002", only.TrackingNumber);
        Assert.Equal(2, ofCampaign.Items.Count);
        Assert.All(campaignEvents, e => Assert.Equal(campaign.ToString(), e.CampaignId));
        Assert.Equal([CallEvent.DetailOneofCase.Started, CallEvent.DetailOneofCase.Dtmf], campaignEvents.Select(e => e.DetailCase));
    }

    [Fact]
    public async Task Refuses_missing_and_wrong_keys_unseen_organisations_and_malformed_filters()
    {
        await using var db = await EventsDatabase.CreateAsync(server);
        var feed = await db.StartFeedAsync();
        var service = db.EventsService(feed);
        var clientKey = await db.KeyAsync("Client");

        async Task<GrpcException> Refused(SubscribeRequest request, string? key) =>
            await Assert.ThrowsAsync<GrpcException>(() => service.SubscribeAsync(request, new ListStreamWriter<CallEvent>(), EventsDatabase.Context(key, Method)));

        Assert.Equal(StatusCode.Unauthenticated, (await Refused(new SubscribeRequest(), null)).Status);
        Assert.Equal(StatusCode.Unauthenticated, (await Refused(new SubscribeRequest(), clientKey[..^2] + "xx")).Status);

        // The agency above the key and an unrelated organisation are as unknown as one that does not exist.
        var parent = await Refused(new SubscribeRequest { OrganisationIds = { db.Agency.ToString() } }, clientKey);
        Assert.Equal(StatusCode.NotFound, parent.Status);
        Assert.Equal(StatusCode.NotFound, (await Refused(new SubscribeRequest { OrganisationIds = { db.Other.ToString() } }, clientKey)).Status);
        Assert.Equal(StatusCode.NotFound, (await Refused(new SubscribeRequest { OrganisationIds = { Guid.NewGuid().ToString() } }, clientKey)).Status);

        Assert.Equal(StatusCode.InvalidArgument, (await Refused(new SubscribeRequest { OrganisationIds = { "acme" } }, clientKey)).Status);
        Assert.Equal(StatusCode.InvalidArgument, (await Refused(new SubscribeRequest { CampaignIds = { "1234" } }, clientKey)).Status);
        Assert.Equal(StatusCode.InvalidArgument, (await Refused(new SubscribeRequest { Kinds = { "Call Started" } }, clientKey)).Status);
        Assert.Equal(StatusCode.InvalidArgument, (await Refused(new SubscribeRequest { TrackingNumbers = { "555-1234" } }, clientKey)).Status);
        Assert.Equal(StatusCode.InvalidArgument, (await Refused(new SubscribeRequest { ResumeAfter = -1 }, clientKey)).Status);
        Assert.Equal(0, feed.SubscriberCount);
    }

    [Fact]
    public async Task A_slow_subscriber_is_cut_off_with_resource_exhausted_while_a_fast_one_receives_everything_and_the_slow_one_resumes_without_a_gap()
    {
        await using var db = await EventsDatabase.CreateAsync(server);
        var feed = await db.StartFeedAsync(subscriberQueue: 8);
        var service = db.EventsService(feed);
        var key = await db.KeyAsync("Client");
        using var stop = new CancellationTokenSource();
        var fast = new ListStreamWriter<CallEvent>();
        var slow = new ListStreamWriter<CallEvent> { WriteDelay = TimeSpan.FromMilliseconds(250) };
        var fastStream = Run(service, new SubscribeRequest(), fast, key, stop.Token);
        var slowStream = service.SubscribeAsync(new SubscribeRequest(), slow, EventsDatabase.Context(key, Method, stop.Token));
        await WaitForSubscribersAsync(feed, 2);
        var start = feed.Cursor;

        var call = await db.StartCallAsync(db.Client);
        for (var i = 0; i < 59; i++)
        {
            await db.DtmfAsync(call, db.Client);
            await Task.Delay(15);
        }

        var all = await db.EventIdsAsync($"id > {start}");
        Assert.Equal(60, all.Count);
        Assert.Equal(all, (await fast.WaitForAsync(60)).Select(e => e.Id));

        var cutOff = await Assert.ThrowsAsync<GrpcException>(() => slowStream);
        Assert.Equal(StatusCode.ResourceExhausted, cutOff.Status);
        var lastDelivered = slow.Items[^1].Id;
        Assert.Equal($"subscriber fell behind; resume with resume_after={lastDelivered}", cutOff.Detail);
        Assert.Equal(all.TakeWhile(id => id <= lastDelivered), slow.Items.Select(e => e.Id));
        Assert.True(slow.Items.Count < 60);
        Assert.Equal(1, feed.CutOffCount);

        var resumed = new ListStreamWriter<CallEvent>();
        var resumedStream = Run(service, new SubscribeRequest { ResumeAfter = lastDelivered }, resumed, key, stop.Token);
        await resumed.WaitForAsync(60 - slow.Items.Count);
        Assert.Equal(all, slow.Items.Concat(resumed.Items).Select(e => e.Id));

        await stop.CancelAsync();
        await fastStream;
        await resumedStream;
    }

    [Fact]
    public async Task Streams_send_their_headers_once_subscribed_and_end_unavailable_when_the_feed_stops()
    {
        await using var db = await EventsDatabase.CreateAsync(server);
        var feed = await db.StartFeedAsync();
        var service = db.EventsService(feed);
        var key = await db.KeyAsync("Client");
        var writer = new ListStreamWriter<CallEvent>();
        var stream = service.SubscribeAsync(new SubscribeRequest(), writer, EventsDatabase.Context(key, Method));
        await WaitForSubscribersAsync(feed, 1);

        // Subscribed with no event yet: the headers went out already, so a client knows the stream is live.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (!writer.HeadersSent && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.True(writer.HeadersSent);
        Assert.Empty(writer.Items);
        feed.EndSubscriptions();

        var ended = await Assert.ThrowsAsync<GrpcException>(() => stream);
        Assert.Equal(StatusCode.Unavailable, ended.Status);
        Assert.Contains($"resume_after={feed.Cursor}", ended.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streams_end_unavailable_with_the_resume_point_when_the_server_stops_and_cancels_the_call_first()
    {
        await using var db = await EventsDatabase.CreateAsync(server);
        var feed = await db.StartFeedAsync();
        var lifetime = new Microsoft.Extensions.Hosting.Internal.ApplicationLifetime(Microsoft.Extensions.Logging.Abstractions.NullLogger<Microsoft.Extensions.Hosting.Internal.ApplicationLifetime>.Instance);
        var service = db.EventsService(feed, lifetime);
        var key = await db.KeyAsync("Client");

        // As in the engine: the host ends the feed's subscriptions on ApplicationStopping, and every gRPC call's token
        // is linked to ApplicationStopping later, so the call's token fires first (callbacks run last-registered first).
        lifetime.ApplicationStopping.Register(feed.EndSubscriptions);
        using var call = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
        var stream = service.SubscribeAsync(new SubscribeRequest(), new ListStreamWriter<CallEvent>(), EventsDatabase.Context(key, Method, call.Token));
        await WaitForSubscribersAsync(feed, 1);

        lifetime.StopApplication();

        var ended = await Assert.ThrowsAsync<GrpcException>(() => stream);
        Assert.Equal(StatusCode.Unavailable, ended.Status);
        Assert.Contains($"resume_after={feed.Cursor}", ended.Detail, StringComparison.Ordinal);
    }

    /// <summary>A stream until <paramref name="stop"/>: cancellation is the client going away, not a failure.</summary>
    private static async Task Run(CallTracking.Engine.Grpc.CallEventsService service, SubscribeRequest request, ListStreamWriter<CallEvent> writer, string key, CancellationToken stop)
    {
        try
        {
            await service.SubscribeAsync(request, writer, EventsDatabase.Context(key, Method, stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private static async Task WaitForSubscribersAsync(EventFeed feed, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (feed.SubscriberCount < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{feed.SubscriberCount} of {count} subscribers registered");
            await Task.Delay(20);
        }
    }
}
