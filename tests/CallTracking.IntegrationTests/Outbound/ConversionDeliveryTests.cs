using System.Text.Json.Nodes;
using CallTracking.Engine.Storage;
using CallTracking.Engine.Webhooks;
using CallTracking.IntegrationTests.Infrastructure;

namespace CallTracking.IntegrationTests.Outbound;

/// <summary>
/// Conversion uploads through the same outbox, to a local receiver standing in for the platform: a qualifying call
/// with a gclid is uploaded when it ends and accepted, which fires <c>conversion.sent</c>; a platform's per-row
/// error is a rejection with its reason; a call that cannot be sent is shown rejected with why; replay sends again.
/// </summary>
public sealed class ConversionDeliveryTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_qualifying_call_is_uploaded_when_it_ends_accepted_and_announced_by_conversion_sent()
    {
        await using var database = await OutboundDatabase.CreateAsync(server);
        await using var platform = new WebhookReceiver(n => Task.FromResult((200, """{"results":[{"gclid":"EAIaIQobChMI-gclid-1"}]}""")));
        await using var hooks = new WebhookReceiver(n => Task.FromResult((204, string.Empty)));
        await database.WebhookAsync(hooks.Url, "whsec_integration_0123456789", WebhookEventTypes.ConversionSent);
        var action = await ActionAsync(database, platform.Url);
        await database.StartEngineAsync();

        var call = await EndedCallAsync(database, "+14155550123", talkSeconds: 60, gclid: "EAIaIQobChMI-gclid-1");
        await EndedCallAsync(database, "+14155550124", talkSeconds: 10, gclid: "EAIaIQobChMI-too-short");
        await platform.WaitForRequestsAsync(1, Wait);
        var deliveryId = await database.ScalarAsync<Guid>($"SELECT id FROM outbound_deliveries WHERE kind = 'conversion' AND call_id = '{call}'");
        await database.WaitForStatusAsync(deliveryId, "accepted", Wait);

        var request = platform.Requests[0];
        Assert.Equal("/hooks/customers/1234567890:uploadClickConversions", request.Path);
        Assert.Equal("Bearer ya29.token", request.Header("Authorization"));
        Assert.Equal("dev-token", request.Header("developer-token"));
        Assert.Equal(deliveryId.ToString(), request.Header(WebhookHeaders.Delivery));
        var conversion = JsonNode.Parse(request.Body)!["conversions"]![0]!;
        Assert.Equal("EAIaIQobChMI-gclid-1", (string)conversion["gclid"]!);
        Assert.Equal("customers/1234567890/conversionActions/987654321", (string)conversion["conversion_action"]!);
        Assert.Equal(120m, (decimal)conversion["conversion_value"]!);

        // Only the qualifying call: the 10-second one never got a delivery.
        Assert.Equal(1, await database.ScalarAsync<long>("SELECT count(*) FROM outbound_deliveries WHERE kind = 'conversion'"));

        await hooks.WaitForRequestsAsync(1, Wait);
        var announced = JsonNode.Parse(hooks.Requests[0].Body)!;
        Assert.Equal("conversion.sent", (string)announced["type"]!);
        Assert.Equal(deliveryId.ToString(), (string)announced["data"]!["deliveryId"]!);
        Assert.Equal(action.ToString(), (string)announced["data"]!["conversionActionId"]!);
    }

    [Fact]
    public async Task A_platform_error_is_a_rejection_with_its_reason_and_a_replay_sends_it_again()
    {
        await using var database = await OutboundDatabase.CreateAsync(server);
        await using var platform = new WebhookReceiver(n => Task.FromResult(n == 1
            ? (200, """{"partialFailureError":{"code":3,"message":"The imported click is too old."}}""")
            : (200, """{"results":[{}]}""")));
        await ActionAsync(database, platform.Url);

        // The calls end before any engine runs (and their events are dated minutes back): the action's cursor starts
        // at the events committed when the action was made, so they are still uploaded.
        var call = await EndedCallAsync(database, "+14155550123", talkSeconds: 60, gclid: "EAIaIQobChMI-old");
        var anonymous = await EndedCallAsync(database, "anonymous", talkSeconds: 60, gclid: null);
        await database.StartEngineAsync();
        await platform.WaitForRequestsAsync(1, Wait);
        var deliveryId = await database.ScalarAsync<Guid>($"SELECT id FROM outbound_deliveries WHERE call_id = '{call}'");
        await database.WaitForStatusAsync(deliveryId, "rejected", Wait);
        Assert.Equal("The imported click is too old.", await database.ScalarAsync<string>($"SELECT remote_reason FROM outbound_deliveries WHERE id = '{deliveryId}'"));

        // The call with neither click id nor a usable number is never sent, and says why.
        var notSent = (await database.RowsAsync($"SELECT status, remote_reason, attempts FROM outbound_deliveries WHERE call_id = '{anonymous}'"))[0];
        Assert.Equal("rejected", notSent[0]);
        Assert.StartsWith("not sent: no click id, and the caller number has characters", (string)notSent[1]!, StringComparison.Ordinal);
        Assert.Equal(0, notSent[2]);
        Assert.Single(platform.Requests);

        var replay = await new CallTracking.Engine.Outbound.OutboxStore(database.DataSource).ReplayAsync(deliveryId, [database.Organisation], 5, DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.NotNull(replay);
        await database.WaitForStatusAsync(replay.Value, "accepted", Wait);
        Assert.Equal(platform.Requests[0].Body, platform.Requests[1].Body);
        Assert.Equal(deliveryId.ToString(), platform.Requests[1].Header(WebhookHeaders.ReplayOf));
        Assert.NotEqual(platform.Requests[0].Header(WebhookHeaders.Delivery), platform.Requests[1].Header(WebhookHeaders.Delivery));
    }

    private static async Task<Guid> ActionAsync(OutboundDatabase database, string receiverUrl)
    {
        var settings = new JsonObject
        {
            ["endpoint"] = receiverUrl + "customers/{customer_id}:uploadClickConversions",
            ["customer_id"] = "1234567890",
            ["conversion_action"] = "customers/1234567890/conversionActions/987654321",
            ["access_token"] = "ya29.token",
            ["developer_token"] = "dev-token",
        };
        await using var command = database.DataSource.CreateCommand(
            "INSERT INTO conversion_actions (organisation_id, name, platform, conversion_name, min_talk_seconds, value, currency, send, settings) VALUES ($1, 'Calls', 'google_ads', 'Phone call lead', 30, 120, 'USD', true, $2::jsonb) RETURNING id");
        command.Parameters.Add(new() { Value = database.Organisation });
        command.Parameters.Add(new() { Value = settings.ToJsonString() });
        return (Guid)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>A call answered at once and ended after <paramref name="talkSeconds"/>, attributed (exact) with <paramref name="gclid"/> as number insertion would write it.</summary>
    private static async Task<Guid> EndedCallAsync(OutboundDatabase database, string caller, int talkSeconds, string? gclid)
    {
        var started = DateTimeOffset.UtcNow.AddMinutes(-5);
        var call = await database.Store.StartCallAsync(
            new CallStarted(database.Organisation, "+15551230001", "sip-" + Guid.NewGuid().ToString("N"), started) { CallerNumber = caller },
            CancellationToken.None);
        await using (var attribution = database.DataSource.CreateCommand(
            "INSERT INTO call_attributions (call_id, organisation_id, confidence, gclid, utm_source, utm_medium) VALUES ($1, $2, 'exact', $3, 'google', 'cpc')"))
        {
            attribution.Parameters.Add(new() { Value = call });
            attribution.Parameters.Add(new() { Value = database.Organisation });
            attribution.Parameters.Add(new() { Value = gclid ?? (object)DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            await attribution.ExecuteNonQueryAsync();
        }

        await database.Store.MarkAnsweredAsync(new CallAnswered(call, database.Organisation, started), CancellationToken.None);
        await database.Store.EndCallAsync(new CallEnded(call, database.Organisation, started.AddSeconds(talkSeconds), CallDisposition.Answered), CancellationToken.None);
        return call;
    }
}
