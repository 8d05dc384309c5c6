using Npgsql;
using NpgsqlTypes;

namespace CallTracking.Engine.Events;

/// <summary>
/// Reads the <c>events</c> outbox with each event's call (tracking number, campaign) as <see cref="FeedEvent"/>s,
/// always in id order. Ids are safe to read as "id &gt; cursor" because event-writing transactions commit in id
/// order (see <c>CallRecordStore</c>'s event lock).
/// </summary>
public sealed class EventStore
{
    private const string Select = """
        select e.id, e.kind, e.occurred_at, e.organisation_id, e.call_id, c.tracking_number, c.campaign_id, e.payload::text
        from events e left join calls c on c.id = e.call_id
        """;

    private readonly NpgsqlDataSource _dataSource;

    public EventStore(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
    }

    /// <summary>The largest event id committed (0 when there is none).</summary>
    public async Task<long> LastIdAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("select coalesce(max(id), 0) from events");
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Every event with an id above <paramref name="after"/>, at most <paramref name="limit"/>.</summary>
    public Task<List<FeedEvent>> ReadAfterAsync(long after, int limit, CancellationToken cancellationToken) =>
        ReadAsync($"{Select} where e.id > $1 order by e.id limit $2", cancellationToken, Bigint(after), new() { Value = limit, NpgsqlDbType = NpgsqlDbType.Integer });

    /// <summary>The events <paramref name="filter"/> matches with <paramref name="after"/> &lt; id &lt;= <paramref name="upTo"/>, at most <paramref name="limit"/>.</summary>
    public Task<List<FeedEvent>> ReadRangeAsync(EventFilter filter, long after, long upTo, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);

        // The same rules as EventFilter.Matches, in SQL, so a replay and the live stream agree.
        return ReadAsync(
            $"""
            {Select}
            where e.id > $1 and e.id <= $2 and e.organisation_id = any($3)
              and (cardinality($4::text[]) = 0 or c.tracking_number = any($4))
              and (cardinality($5::uuid[]) = 0 or c.campaign_id = any($5))
              and (cardinality($6::text[]) = 0 or e.kind = any($6))
            order by e.id
            limit $7
            """,
            cancellationToken,
            Bigint(after),
            Bigint(upTo),
            new() { Value = filter.Organisations, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid },
            new() { Value = filter.TrackingNumbers, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
            new() { Value = filter.Campaigns, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid },
            new() { Value = filter.Kinds, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
            new() { Value = limit, NpgsqlDbType = NpgsqlDbType.Integer });
    }

    /// <summary>A call's events, oldest first (the caller has checked the call may be seen).</summary>
    public Task<List<FeedEvent>> ReadCallAsync(Guid callId, CancellationToken cancellationToken) =>
        ReadAsync($"{Select} where e.call_id = $1 order by e.id", cancellationToken, new NpgsqlParameter { Value = callId, NpgsqlDbType = NpgsqlDbType.Uuid });

    private static NpgsqlParameter Bigint(long value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Bigint };

    private async Task<List<FeedEvent>> ReadAsync(string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.AddRange(parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var events = new List<FeedEvent>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = reader.GetInt64(0);
            var kind = reader.GetString(1);
            var occurredAt = reader.GetFieldValue<DateTimeOffset>(2);
            var organisation = reader.GetGuid(3);
            Guid? call = reader.IsDBNull(4) ? null : reader.GetGuid(4);
            var number = reader.IsDBNull(5) ? null : reader.GetString(5);
            Guid? campaign = reader.IsDBNull(6) ? null : reader.GetGuid(6);
            var payload = reader.GetString(7);
            events.Add(new FeedEvent(id, organisation, number, campaign, kind, occurredAt, CallEventMapper.ToMessage(id, kind, occurredAt, organisation, call, number, campaign, payload)));
        }

        return events;
    }
}
