using System.Text.Json.Nodes;
using CallTracking.Engine.Storage;
using CallTracking.Engine.Webhooks;
using CallTracking.IntegrationTests.Infrastructure;

namespace CallTracking.IntegrationTests.Outbound;

/// <summary>
/// Webhooks from the events table to a real HTTP receiver (HttpListener) through the PostgreSQL outbox: signatures
/// verify, a failing receiver gets the delivery once it recovers, and restarting the delivery service mid-retry
/// neither loses nor repeats an acknowledged delivery.
/// </summary>
public sealed class WebhookDeliveryTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private const string Secret = "whsec_integration_0123456789";

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_receiver_that_fails_three_times_gets_the_signed_delivery_on_the_fourth_try()
    {
        await using var database = await OutboundDatabase.CreateAsync(server);
        await using var receiver = new WebhookReceiver(n => Task.FromResult(n <= 3 ? (500, """{"error":"down"}""") : (200, "ok")));
        await database.WebhookAsync(receiver.Url, Secret, WebhookEventTypes.CallStarted);
        await database.StartEngineAsync();

        var callId = await database.Store.StartCallAsync(
            new CallStarted(database.Organisation, "+15551230001", "sip-" + Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow) { CallerNumber = "+15559990000" },
            CancellationToken.None);
        await receiver.WaitForRequestsAsync(4, Wait);
        var deliveryId = await database.ScalarAsync<Guid>("SELECT id FROM outbound_deliveries");
        await database.WaitForStatusAsync(deliveryId, "sent", Wait);

        var requests = receiver.Requests;
        Assert.Equal([500, 500, 500, 200], requests.Select(r => r.AnsweredStatus ?? 0));
        Assert.All(requests, r =>
        {
            Assert.Equal(deliveryId.ToString(), r.Header(WebhookHeaders.Delivery));
            Assert.Equal("call.started", r.Header(WebhookHeaders.Event));
            Assert.True(WebhookSignature.Verify(Secret, r.Body, r.Header(WebhookSignature.HeaderName), r.At, WebhookSignature.DefaultTolerance), $"signature {r.Header(WebhookSignature.HeaderName)} does not verify");
            Assert.False(WebhookSignature.Verify("another-secret-0123456789", r.Body, r.Header(WebhookSignature.HeaderName), r.At, WebhookSignature.DefaultTolerance));
        });
        Assert.Equal(["1", "2", "3", "4"], requests.Select(r => r.Header(WebhookHeaders.Attempt)));

        // Retries back off: each gap is at least the nominal delay (200 ms, 400 ms, 800 ms).
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromMilliseconds(180));
        Assert.True(requests[3].At - requests[2].At >= TimeSpan.FromMilliseconds(700));

        var body = JsonNode.Parse(requests[3].Body)!;
        Assert.Equal("call.started", (string)body["type"]!);
        Assert.Equal(callId.ToString(), (string)body["call_id"]!);
        Assert.Equal("+15559990000", (string)body["data"]!["callerNumber"]!);

        var row = (await database.RowsAsync($"SELECT status, attempts, last_status_code, completed_at IS NOT NULL FROM outbound_deliveries WHERE id = '{deliveryId}'"))[0];
        Assert.Equal(["sent", 4, 200, true], row);
        var log = await database.RowsAsync($"SELECT attempt, status_code FROM outbound_attempts WHERE delivery_id = '{deliveryId}' ORDER BY attempt");
        Assert.Equal([1, 2, 3, 4], log.Select(r => (int)r[0]!));
        Assert.Equal([500, 500, 500, 200], log.Select(r => (int)r[1]!));

        // Sent means done: nothing more arrives.
        await Task.Delay(1000);
        Assert.Equal(4, receiver.Requests.Count);
    }

    [Fact]
    public async Task Nothing_is_delivered_twice_when_the_delivery_service_restarts_in_the_middle_of_a_retry()
    {
        await using var database = await OutboundDatabase.CreateAsync(server);
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var receiver = new WebhookReceiver(async n =>
        {
            switch (n)
            {
                case 1:
                    return (503, "busy");
                case 2:
                    // The retry is in flight when its engine dies; whatever this answers never reaches it.
                    await held.Task;
                    return (503, "too late");
                default:
                    return (200, "ok");
            }
        });
        await database.WebhookAsync(receiver.Url, Secret);

        // Engine A: its stop leaves the in-flight row to its lease, as a killed process would.
        var a = await database.StartEngineAsync(releaseOnStop: false);
        await database.Store.StartCallAsync(new CallStarted(database.Organisation, "+15551230001", "sip-" + Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow), CancellationToken.None);
        await receiver.WaitForRequestsAsync(2, Wait);
        await a.StopAsync();
        var deliveryId = await database.ScalarAsync<Guid>("SELECT id FROM outbound_deliveries");
        var inFlight = (await database.RowsAsync($"SELECT status, attempts, locked_by FROM outbound_deliveries WHERE id = '{deliveryId}'"))[0];
        Assert.Equal(["sending", 2, a.Worker.Engine], inFlight);

        // Engine B on the same database takes it over when A's lease runs out.
        var b = await database.StartEngineAsync();
        await database.WaitForStatusAsync(deliveryId, "sent", Wait);
        held.SetResult();
        await b.StopAsync();

        // A third start after the delivery was acknowledged sends nothing again.
        var c = await database.StartEngineAsync();
        await Task.Delay(2500);
        await c.StopAsync();

        var requests = receiver.Requests;
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.Equal(deliveryId.ToString(), r.Header(WebhookHeaders.Delivery)));
        Assert.Single(requests, r => r.AnsweredStatus is >= 200 and < 300);
        Assert.Equal("3", requests[2].Header(WebhookHeaders.Attempt));
        Assert.Equal(1, await database.ScalarAsync<long>("SELECT count(*) FROM outbound_deliveries"));

        // The log has A's first attempt and B's third; A's second died with it.
        var log = await database.RowsAsync($"SELECT attempt, status_code, engine FROM outbound_attempts WHERE delivery_id = '{deliveryId}' ORDER BY attempt");
        Assert.Equal([1, 3], log.Select(r => (int)r[0]!));
        Assert.Equal([503, 200], log.Select(r => (int)r[1]!));
        Assert.Equal(a.Worker.Engine, log[0][2]);
        Assert.Equal(b.Worker.Engine, log[1][2]);

        // The event cursor moved with the delivery, so no engine turned the event into a second delivery.
        Assert.Equal(
            await database.ScalarAsync<long>("SELECT max(id) FROM events"),
            await database.ScalarAsync<long>("SELECT last_event_id FROM outbound_cursors WHERE consumer = 'webhooks'"));
    }
    [Fact]
    public async Task Two_engines_sharing_the_outbox_send_each_delivery_once()
    {
        await using var database = await OutboundDatabase.CreateAsync(server);
        await using var receiver = new WebhookReceiver(n => Task.FromResult((200, "ok")));
        await database.WebhookAsync(receiver.Url, Secret, WebhookEventTypes.CallStarted);
        var first = await database.StartEngineAsync();
        var second = await database.StartEngineAsync();

        const int Calls = 30;
        for (var i = 0; i < Calls; i++)
        {
            await database.Store.StartCallAsync(new CallStarted(database.Organisation, "+15551230001", "sip-" + Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow), CancellationToken.None);
        }

        await receiver.WaitForRequestsAsync(Calls, Wait);
        await Task.Delay(1000);
        var requests = receiver.Requests;
        Assert.Equal(Calls, requests.Count);
        Assert.Equal(Calls, requests.Select(r => r.Header(WebhookHeaders.Delivery)).Distinct().Count());
        Assert.Equal(Calls, await database.ScalarAsync<long>("SELECT count(*) FROM outbound_deliveries WHERE status = 'sent' AND attempts = 1"));
        var engines = await database.RowsAsync("SELECT DISTINCT engine FROM outbound_attempts");
        Assert.All(engines, e => Assert.Contains((string)e[0]!, new[] { first.Worker.Engine, second.Worker.Engine }));
    }
}
