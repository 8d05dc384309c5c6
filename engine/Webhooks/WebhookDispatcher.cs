using CallTracking.Engine.Outbound;
using Npgsql;

namespace CallTracking.Engine.Webhooks;

/// <summary>
/// Queues one delivery per enabled endpoint whose filter wants it for every webhook-worthy event of its
/// organisation (<see cref="WebhookEventTypes.FromEventKind"/>), behind the organisation's <c>webhooks</c> cursor.
/// The URL is the endpoint's at queueing time; the signature is made at each attempt (<see cref="DeliveryWorker"/>).
/// </summary>
public sealed class WebhookDispatcher : OutboundEventConsumer
{
    public WebhookDispatcher(NpgsqlDataSource dataSource, DeliverySignal signal, OutboundOptions options, TimeProvider time, ILogger<WebhookDispatcher> logger)
        : base(dataSource, signal, options, time, logger)
    {
    }

    protected override string Consumer => "webhooks";

    protected override string OrganisationsSql =>
        "SELECT organisation_id, min(start_event_id) FROM webhook_endpoints WHERE enabled GROUP BY organisation_id";

    protected override async Task<int> HandleAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid organisation, IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var endpoints = new List<(Guid Id, string Url, string[] Types)>();
        await using (var command = new NpgsqlCommand("SELECT id, url, events FROM webhook_endpoints WHERE organisation_id = $1 AND enabled ORDER BY created_at, id", connection, transaction))
        {
            command.Parameters.Add(new() { Value = organisation, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                endpoints.Add((reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<string[]>(2)));
            }
        }

        var queued = 0;
        var now = Time.GetUtcNow();
        foreach (var stored in events)
        {
            if (WebhookEventTypes.FromEventKind(stored.Kind) is not var (type, change))
            {
                continue;
            }

            string? body = null;
            foreach (var (id, url, types) in endpoints)
            {
                if (types.Length > 0 && !types.Contains(type, StringComparer.Ordinal))
                {
                    continue;
                }

                body ??= WebhookPayload.Build(stored, type, change);
                var delivery = new NewDelivery(organisation, DeliveryKind.Webhook, type, url, body) { WebhookId = id, CallId = stored.CallId, EventId = stored.Id };
                if (await OutboxStore.EnqueueAsync(connection, transaction, delivery, Options.MaxAttempts, now, cancellationToken).ConfigureAwait(false))
                {
                    queued++;
                }
            }
        }

        return queued;
    }
}
