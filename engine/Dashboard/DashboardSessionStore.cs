using CallTracking.Engine.Api;
using Npgsql;
using NpgsqlTypes;
using CallTracking.Engine.Security;

namespace CallTracking.Engine.Dashboard;

/// <summary>
/// Dashboard sessions in <c>dashboard_sessions</c>: sign in with user name and password (a new <c>cts_</c> token
/// valid for <see cref="Lifetime"/>, fixed), authenticate a presented token as the user's organisation's
/// <see cref="ApiPrincipal"/> (what an API key of that organisation would be), sign out.
/// </summary>
public sealed class DashboardSessionStore
{
    /// <summary>A session works for this long after sign-in, then the user signs in again.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;

    public DashboardSessionStore(NpgsqlDataSource dataSource, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(time);
        _dataSource = dataSource;
        _time = time;
    }

    /// <summary>
    /// A new session when <paramref name="password"/> is the user's and the user is not disabled; null otherwise
    /// (unknown users cost the same hashing time as wrong passwords). Upgrades a hash made with older parameters.
    /// </summary>
    public async Task<DashboardSession?> SignInAsync(string username, string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(password);
        Guid userId;
        string stored;
        bool disabled;
        await using (var find = _dataSource.CreateCommand("select id, password_hash, disabled from dashboard_users where lower(username) = lower($1)"))
        {
            find.Parameters.Add(new() { Value = username });
            await using var reader = await find.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                PasswordHash.VerifyNothing(password);
                return null;
            }

            userId = reader.GetGuid(0);
            stored = reader.GetString(1);
            disabled = reader.GetBoolean(2);
        }

        if (!PasswordHash.Verify(password, stored) || disabled)
        {
            return null;
        }

        var now = _time.GetUtcNow();
        var (token, hash) = SessionTokenFormat.Generate();
        var expires = now + Lifetime;
        await using var batch = _dataSource.CreateBatch();
        batch.BatchCommands.Add(Command(
            "insert into dashboard_sessions (token_hash, user_id, created_at, expires_at) values ($1, $2, $3, $4)",
            new NpgsqlParameter { Value = hash, NpgsqlDbType = NpgsqlDbType.Bytea },
            new NpgsqlParameter { Value = userId },
            new NpgsqlParameter { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz },
            new NpgsqlParameter { Value = expires, NpgsqlDbType = NpgsqlDbType.TimestampTz }));
        batch.BatchCommands.Add(Command(
            "update dashboard_users set last_sign_in_at = $2, password_hash = coalesce($3, password_hash) where id = $1",
            new NpgsqlParameter { Value = userId },
            new NpgsqlParameter { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz },
            new NpgsqlParameter { Value = PasswordHash.NeedsRehash(stored) ? PasswordHash.Create(password) : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text }));

        // Housekeeping: this user's expired sessions go when they sign in again.
        batch.BatchCommands.Add(Command(
            "delete from dashboard_sessions where user_id = $1 and expires_at <= $2",
            new NpgsqlParameter { Value = userId },
            new NpgsqlParameter { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz }));
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return new DashboardSession(token, expires);
    }

    /// <summary>
    /// The principal a presented session token stands for — the user's organisation and every organisation it may
    /// see, as for an API key — or null when the token is malformed, unknown, expired, or its user disabled.
    /// Same shape as <see cref="ApiKeyStore.AuthenticateAsync"/>, so a bearer authenticator can try both.
    /// </summary>
    public async Task<ApiPrincipal?> AuthenticateAsync(string? bearer, CancellationToken cancellationToken)
    {
        if (!SessionTokenFormat.IsShaped(bearer))
        {
            return null;
        }

        // The lookup is by the token's SHA-256: equality on a hash of a 256-bit secret leaks nothing useful by timing.
        await using var command = _dataSource.CreateCommand("""
            with recursive s as (
                select u.username, u.organisation_id, u.role, u.agent_destination
                from dashboard_sessions s join dashboard_users u on u.id = s.user_id
                where s.token_hash = $1 and s.expires_at > $2 and not u.disabled
            ), visible(id, depth) as (
                select organisation_id, 0 from s
                union
                select o.id, v.depth + 1 from organisations o join visible v on o.parent_id = v.id where v.depth < 16
            )
            select s.username, s.organisation_id, array(select distinct id from visible), s.role, s.agent_destination from s
            """);
        command.Parameters.Add(new() { Value = SessionTokenFormat.Hash(bearer!), NpgsqlDbType = NpgsqlDbType.Bytea });
        command.Parameters.Add(new() { Value = _time.GetUtcNow(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var username = reader.GetString(0);
        var organisationId = reader.GetGuid(1);
        var visible = reader.GetFieldValue<Guid[]>(2);
        RoleNames.TryParse(reader.GetString(3), out var stored);
        var role = stored ?? Role.Analyst;

        // KeyPrefix names who acted in logs and audit lines; a session names its user.
        return new ApiPrincipal("user:" + username, organisationId, ApiPrincipal.Visible(role, organisationId, visible), role, reader.IsDBNull(4) ? null : reader.GetString(4));
    }

    /// <summary>Ends the session; false if the token was unknown (or already ended).</summary>
    public async Task<bool> SignOutAsync(string token, CancellationToken cancellationToken)
    {
        if (!SessionTokenFormat.IsShaped(token))
        {
            return false;
        }

        await using var command = _dataSource.CreateCommand("delete from dashboard_sessions where token_hash = $1");
        command.Parameters.Add(new() { Value = SessionTokenFormat.Hash(token), NpgsqlDbType = NpgsqlDbType.Bytea });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }
}
