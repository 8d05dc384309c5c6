using CallTracking.Engine.Outbound;
using CallTracking.Engine.Storage;
using Npgsql;

namespace CallTracking.Engine.Tracking.Conversions;

/// <summary>
/// Queues conversion uploads behind the organisation's <c>conversions</c> cursor: when a call ends, or is tagged,
/// scored or attributed afterwards, every enabled sending action it now qualifies for gets one delivery (the
/// outbox's unique index keeps it to one per action and call). A call that cannot be sent (no click id and a
/// malformed caller number, say) is queued already <c>rejected</c> with the reason, so the operator sees why.
/// </summary>
public sealed class ConversionScheduler : OutboundEventConsumer
{
    private static readonly HashSet<string> Triggers =
        [CallEventKinds.Ended, CallEventKinds.Tagged, "call.scored", "call.attributed", "call.modified"];

    public ConversionScheduler(NpgsqlDataSource dataSource, DeliverySignal signal, OutboundOptions options, TimeProvider time, ILogger<ConversionScheduler> logger)
        : base(dataSource, signal, options, time, logger)
    {
    }

    protected override string Consumer => "conversions";

    protected override string OrganisationsSql =>
        "SELECT organisation_id, min(start_event_id) FROM conversion_actions WHERE enabled AND send GROUP BY organisation_id";

    protected override async Task<int> HandleAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid organisation, IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var calls = events.Where(e => e.CallId is not null && Triggers.Contains(e.Kind)).Select(e => e.CallId!.Value).Distinct().ToList();
        if (calls.Count == 0)
        {
            return 0;
        }

        var actions = await ConversionStore.ActionsAsync(connection, transaction, organisation, sendingOnly: true, cancellationToken).ConfigureAwait(false);
        var queued = 0;
        var now = Time.GetUtcNow();
        foreach (var callId in calls)
        {
            if (await ConversionStore.CallAsync(connection, transaction, callId, cancellationToken).ConfigureAwait(false) is not { } call)
            {
                continue;
            }

            foreach (var action in actions.Where(a => a.Qualifies(call)))
            {
                var request = ConversionRequests.Build(action, call);
                var delivery = new NewDelivery(organisation, DeliveryKind.Conversion, action.Platform, request.Url ?? string.Empty, request.Body ?? string.Empty)
                {
                    ConversionActionId = action.Id,
                    CallId = call.CallId,
                    RejectedBecause = request.NotSent is null ? null : "not sent: " + request.NotSent,
                };
                if (await OutboxStore.EnqueueAsync(connection, transaction, delivery, Options.MaxAttempts, now, cancellationToken).ConfigureAwait(false))
                {
                    queued++;
                }
            }
        }

        return queued;
    }
}
