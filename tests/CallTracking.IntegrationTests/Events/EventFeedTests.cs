using CallTracking.Engine.Events;
using CallTracking.Engine.Storage;
using CallEvent = CallTracking.Grpc.V1.CallEvent;
using CallTracking.IntegrationTests.Infrastructure;
using Npgsql;

namespace CallTracking.IntegrationTests.Events;

/// <summary>The event feed against a real PostgreSQL: order, resume without gap or duplicate, several nodes.</summary>
public sealed class EventFeedTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task Feed_delivers_events_committed_by_concurrent_writers_once_each_in_id_order_and_nothing_from_before_it_started()
    {
        await using var db = await EventsDatabase.CreateAsync(server);
        await db.StartCallAsync(db.Client);
        var feed = await db.StartFeedAsync();
        var start = feed.Cursor;
        using var subscription = feed.Subscribe(new EventFilter([db.Agency, db.Client, db.Other]), null);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var call = await db.StartCallAsync(db.Client);
            for (var i = 0; i < 24; i++)
            {
                await db.DtmfAsync(call, db.Client);
            }
        })));

        var expected = await db.EventIdsAsync($"id > {start}");
        Assert.Equal(100, expected.Count);
        var received = await ReadAsync(subscription, expected.Count);
        Assert.Equal(expected, received.Select(e => e.Id));
        Assert.All(received, e => Assert.Equal(db.Client.ToString(), e.OrganisationId));
    }

    [Fact]
    public async Task Resume_after_replays_stored_events_then_continues_live_with_no_gap_and_no_duplicate_while_several_connections_commit()
    {
        await using var db = await EventsDatabase.CreateAsync(server);

        // Small batches so both the replay and the live reads page.
        var feed = await db.StartFeedAsync(batchSize: 7);
        var first = await db.StartCallAsync(db.Client);
        for (var i = 0; i < 30; i++)
        {
            await db.DtmfAsync(first, db.Client);
        }

        var resumeAfter = (await db.EventIdsAsync())[10];
        using var writing = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            // Each writer its own connection pool: commits race for real.
            await using var dataSource = NpgsqlDataSource.Create(db.ConnectionString);
            var store = new CallRecordStore(dataSource);
            var call = await store.StartCallAsync(new CallStarted(db.Client, "+15551230001", "sip-" + Guid.NewGuid(), EventsDatabase.T0), CancellationToken.None);
            for (var i = 0; i < 40; i++)
            {
                await store.AppendEventAsync(call, db.Client, CallEventKinds.Dtmf, null, CancellationToken.None);
            }
        })).ToList();

        // Subscribe while the writers commit, so the replay boundary falls in the middle of their events.
        await Task.Delay(100);
        using var subscription = feed.Subscribe(new EventFilter([db.Client]), resumeAfter);
        await Task.WhenAll(writers);
        for (var i = 0; i < 5; i++)
        {
            await db.DtmfAsync(first, db.Client);
        }

        var expected = await db.EventIdsAsync($"id > {resumeAfter}");
        Assert.Equal(20 + 4 * 41 + 5, expected.Count);
        Assert.True(subscription.StartCursor > resumeAfter, "the feed had moved past the resume point, so there was something to replay");
        var received = await ReadAsync(subscription, expected.Count);
        Assert.Equal(expected, received.Select(e => e.Id));
    }

    [Fact]
    public async Task Event_writes_wait_for_the_event_order_lock_so_ids_commit_in_order()
    {
        await using var db = await EventsDatabase.CreateAsync(server);
        var call = await db.StartCallAsync(db.Client);

        // Another transaction holds the lock, as a writer between taking its id and committing would.
        await using var holder = await db.DataSource.OpenConnectionAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({CallRecordStore.EventOrderLockKey})", holder, transaction))
        {
            await take.ExecuteNonQueryAsync();
        }

        var write = db.DtmfAsync(call, db.Client);
        await Task.Delay(500);
        Assert.False(write.IsCompleted, "an event insert went ahead while another event transaction was open");

        await transaction.CommitAsync();
        var id = await write.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((await db.EventIdsAsync())[^1], id);
    }

    [Fact]
    public async Task Two_feeds_on_one_database_each_see_the_events_either_node_writes()
    {
        await using var db = await EventsDatabase.CreateAsync(server);
        var nodeA = await db.StartFeedAsync();
        var nodeB = await db.StartFeedAsync();
        using var onA = nodeA.Subscribe(new EventFilter([db.Client]), null);
        using var onB = nodeB.Subscribe(new EventFilter([db.Client]), null);
        var start = Math.Min(onA.StartCursor, onB.StartCursor);

        await using var otherNode = NpgsqlDataSource.Create(db.ConnectionString);
        var storeB = new CallRecordStore(otherNode);
        var callA = await db.StartCallAsync(db.Client);
        var callB = await storeB.StartCallAsync(new CallStarted(db.Client, "+15551230002", "sip-b", EventsDatabase.T0), CancellationToken.None);
        for (var i = 0; i < 5; i++)
        {
            await db.DtmfAsync(callA, db.Client);
            await storeB.AppendEventAsync(callB, db.Client, CallEventKinds.Dtmf, null, CancellationToken.None);
        }

        var expected = await db.EventIdsAsync($"id > {start}");
        Assert.Equal(12, expected.Count);
        Assert.Equal(expected, (await ReadAsync(onA, expected.Count)).Select(e => e.Id));
        Assert.Equal(expected, (await ReadAsync(onB, expected.Count)).Select(e => e.Id));
    }

    [Fact]
    public async Task A_stopped_feed_ends_its_subscriptions_with_the_id_to_resume_after()
    {
        await using var db = await EventsDatabase.CreateAsync(server);
        var feed = await db.StartFeedAsync();
        using var subscription = feed.Subscribe(new EventFilter([db.Client]), null);
        await db.StartCallAsync(db.Client);
        var delivered = await ReadAsync(subscription, 1);

        await feed.StopAsync(CancellationToken.None);

        var ended = await Assert.ThrowsAsync<SubscriptionEndedException>(async () => await ReadAsync(subscription, 1));
        Assert.Equal(SubscriptionEndReason.FeedStopped, ended.Reason);
        Assert.Equal(delivered[0].Id, ended.ResumeAfter);
        Assert.Throws<SubscriptionEndedException>(() => feed.Subscribe(new EventFilter([db.Client]), null));
    }

    /// <summary>The next <paramref name="count"/> events of the subscription (read once per subscription); fails after 20 s.</summary>
    internal static async Task<List<CallEvent>> ReadAsync(EventSubscription subscription, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var received = new List<CallEvent>();
        try
        {
            await foreach (var callEvent in subscription.ReadAllAsync(timeout.Token))
            {
                received.Add(callEvent);
                if (received.Count == count)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"{received.Count} of {count} events arrived: {string.Join(", ", received.Select(e => e.Id))}");
        }

        return received;
    }
}
