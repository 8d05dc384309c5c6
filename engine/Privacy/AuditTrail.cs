using Npgsql;
using NpgsqlTypes;

namespace CallTracking.Engine.Privacy;

/// <summary>
/// The audit trail in <c>audit_log</c>: append-only (a trigger refuses UPDATE, DELETE and TRUNCATE) and hash-chained
/// (<see cref="AuditChain"/>). Appends are serialised across every engine node and CLI by a transaction-scoped
/// advisory lock, so each entry's <c>prev_hash</c> is the hash of the entry committed just before it.
/// </summary>
public sealed class AuditTrail : IAuditSink
{
    /// <summary>The advisory lock key of appends ("audit" in ASCII), shared by every writer of the table.</summary>
    public const long AppendLockKey = 0x6175646974;

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;

    public AuditTrail(NpgsqlDataSource dataSource, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(time);
        _dataSource = dataSource;
        _time = time;
    }

    public async Task RecordAsync(string action, Guid? organisationId, string actor, string subject, object? details, CancellationToken cancellationToken) =>
        await AppendAsync(action, organisationId, actor, subject, details, cancellationToken).ConfigureAwait(false);

    /// <summary>Appends one entry and returns it as stored.</summary>
    public async Task<AuditEntry> AppendAsync(string action, Guid? organisationId, string actor, string subject, object? details, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        ArgumentException.ThrowIfNullOrEmpty(actor);
        ArgumentNullException.ThrowIfNull(subject);
        var json = AuditChain.CanonicalJson(details);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockCommand = new NpgsqlCommand("select pg_advisory_xact_lock($1)", connection, transaction))
        {
            lockCommand.Parameters.Add(new() { Value = AppendLockKey });
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        long sequence = 1;
        byte[] previous = AuditChain.Genesis.ToArray();
        await using (var last = new NpgsqlCommand("select seq, hash from audit_log order by seq desc limit 1", connection, transaction))
        await using (var reader = await last.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                sequence = reader.GetInt64(0) + 1;
                previous = reader.GetFieldValue<byte[]>(1);
            }
        }

        var at = AuditChain.Truncate(_time.GetUtcNow());
        var hash = AuditChain.Hash(sequence, at, actor, organisationId, action, subject, json, previous);
        await using (var insert = new NpgsqlCommand(
            """
            insert into audit_log (seq, occurred_at, actor, organisation_id, action, subject, details, prev_hash, hash)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """,
            connection,
            transaction))
        {
            insert.Parameters.Add(new() { Value = sequence });
            insert.Parameters.Add(new() { Value = at, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            insert.Parameters.Add(new() { Value = actor });
            insert.Parameters.Add(new() { Value = (object?)organisationId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
            insert.Parameters.Add(new() { Value = action });
            insert.Parameters.Add(new() { Value = subject });
            insert.Parameters.Add(new() { Value = (object?)json ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            insert.Parameters.Add(new() { Value = previous, NpgsqlDbType = NpgsqlDbType.Bytea });
            insert.Parameters.Add(new() { Value = hash, NpgsqlDbType = NpgsqlDbType.Bytea });
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new AuditEntry(sequence, at, actor, organisationId, action, subject, json, previous, hash);
    }

    /// <summary>
    /// Entries after <paramref name="afterSequence"/> in sequence order, at most <paramref name="limit"/>; only those
    /// of <paramref name="organisations"/> when given (engine-wide entries are for operators only).
    /// </summary>
    public async Task<List<AuditEntry>> ListAsync(IReadOnlyList<Guid>? organisations, long afterSequence, int limit, string? action, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("""
            select seq, occurred_at, actor, organisation_id, action, subject, details, prev_hash, hash from audit_log
            where seq > $1 and ($2::uuid[] is null or organisation_id = any($2)) and ($4::text is null or action = $4)
            order by seq limit $3
            """);
        command.Parameters.Add(new() { Value = afterSequence });
        command.Parameters.Add(new() { Value = (object?)organisations?.ToArray() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        command.Parameters.Add(new() { Value = limit });
        command.Parameters.Add(new() { Value = (object?)action ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        var entries = new List<AuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(Read(reader));
        }

        return entries;
    }

    /// <summary>
    /// Walks the whole chain in sequence order and stops at the first entry that is not what the chain says it
    /// must be: a missing sequence number (an entry removed), a <c>prev_hash</c> that is not the previous entry's
    /// hash (removed or reordered), or a hash that is not the entry's own (changed). <paramref name="progress"/>
    /// hears the count walked so far (every 1,000 entries and at the end).
    /// </summary>
    public async Task<AuditVerification> VerifyAsync(IProgress<long>? progress, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("select seq, occurred_at, actor, organisation_id, action, subject, details, prev_hash, hash from audit_log order by seq");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var expected = 1L;
        var previous = AuditChain.Genesis.ToArray();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var entry = Read(reader);
            if (entry.Sequence != expected)
            {
                return new AuditVerification(expected - 1, expected, entry.Sequence > expected
                    ? $"entry {expected} is missing (removed): the next entry is {entry.Sequence}"
                    : $"entry {entry.Sequence} appears where {expected} should be (reordered)");
            }

            if (!entry.PreviousHash.AsSpan().SequenceEqual(previous))
            {
                return new AuditVerification(expected - 1, expected, $"entry {expected}'s prev_hash is not entry {expected - 1}'s hash (an entry before it was removed, replaced or reordered)");
            }

            if (!AuditChain.Hash(entry).AsSpan().SequenceEqual(entry.Hash))
            {
                return new AuditVerification(expected - 1, expected, $"entry {expected} was changed: its content does not hash to its stored hash");
            }

            previous = entry.Hash;
            if (expected % 1000 == 0)
            {
                progress?.Report(expected);
            }

            expected++;
        }

        progress?.Report(expected - 1);
        return new AuditVerification(expected - 1, null, null);
    }

    private static AuditEntry Read(NpgsqlDataReader r) => new(
        r.GetInt64(0),
        r.GetFieldValue<DateTimeOffset>(1),
        r.GetString(2),
        r.IsDBNull(3) ? null : r.GetGuid(3),
        r.GetString(4),
        r.GetString(5),
        r.IsDBNull(6) ? null : r.GetString(6),
        r.GetFieldValue<byte[]>(7),
        r.GetFieldValue<byte[]>(8));
}
