using Npgsql;
using NpgsqlTypes;
using CallTracking.Engine.Security;

namespace CallTracking.Engine.Api;

/// <summary>API keys in the <c>api_keys</c> table: create, list, revoke, and authenticate a presented key.</summary>
public sealed class ApiKeyStore : IBearerAuthenticator
{
    /// <summary>The label of a key created without <c>--name</c>.</summary>
    public const string DefaultName = "default";

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;

    public ApiKeyStore(NpgsqlDataSource dataSource, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(time);
        _dataSource = dataSource;
        _time = time;
    }

    /// <summary>
    /// Creates a key for the organisation named <paramref name="organisation"/>; null if there is no such organisation.
    /// Without a <paramref name="role"/> the key is its organisation's admin: agency admin when the organisation has
    /// clients, organisation admin otherwise. <paramref name="agentDestination"/> makes an agent's calls theirs.
    /// </summary>
    public async Task<CreatedApiKey?> CreateAsync(string organisation, string? name, CancellationToken cancellationToken, Role? role = null, string? agentDestination = null)
    {
        ArgumentNullException.ThrowIfNull(organisation);
        var (prefix, key, hash) = ApiKeyFormat.Generate();
        await using var command = _dataSource.CreateCommand("""
            insert into api_keys (organisation_id, name, prefix, secret_hash, role, agent_destination)
            select o.id, $2, $3, $4,
                   coalesce($5, case when exists (select 1 from organisations c where c.parent_id = o.id) then 'agency_admin' else 'org_admin' end), $6
            from organisations o where o.name = $1
            returning organisation_id, role
            """);
        command.Parameters.Add(new() { Value = organisation });
        command.Parameters.Add(new() { Value = string.IsNullOrWhiteSpace(name) ? DefaultName : name.Trim() });
        command.Parameters.Add(new() { Value = prefix });
        command.Parameters.Add(new() { Value = hash, NpgsqlDbType = NpgsqlDbType.Bytea });
        command.Parameters.Add(new() { Value = role is { } r ? RoleNames.Name(r) : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)agentDestination ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new CreatedApiKey(prefix, key) { OrganisationId = reader.GetGuid(0), Role = reader.GetString(1) };
    }

    /// <summary>The organisation's keys, newest first, revoked ones included; null if there is no such organisation.</summary>
    public async Task<IReadOnlyList<ApiKeyInfo>?> ListAsync(string organisation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(organisation);
        await using var command = _dataSource.CreateCommand("""
            select k.prefix, k.name, o.name, k.created_at, k.last_used_at, k.revoked_at
            from organisations o left join api_keys k on k.organisation_id = o.id
            where o.name = $1
            order by k.created_at desc
            """);
        command.Parameters.Add(new() { Value = organisation });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var keys = new List<ApiKeyInfo>();
        var found = false;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            found = true;
            if (reader.IsDBNull(0))
            {
                continue;
            }

            keys.Add(new ApiKeyInfo(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5)));
        }

        return found ? keys : null;
    }

    /// <summary>Revokes the key with this prefix; false if there is none or it was already revoked.</summary>
    public async Task<bool> RevokeAsync(string prefix, CancellationToken cancellationToken) =>
        await RevokeKeyAsync(prefix, cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>Revokes the key with this prefix and returns its organisation; null if there is none or it was already revoked.</summary>
    public async Task<Guid?> RevokeKeyAsync(string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        await using var command = _dataSource.CreateCommand("update api_keys set revoked_at = $2 where prefix = $1 and revoked_at is null returning organisation_id");
        command.Parameters.Add(new() { Value = prefix });
        command.Parameters.Add(new() { Value = _time.GetUtcNow(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as Guid?;
    }

    /// <summary>
    /// The principal a presented key stands for, or null when the key is malformed, unknown,
    /// revoked, or its secret does not match. Records when the key was last used (at most once a minute).
    /// </summary>
    public async Task<ApiPrincipal?> AuthenticateAsync(string? presented, CancellationToken cancellationToken)
    {
        if (!ApiKeyFormat.TryParse(presented, out var prefix, out var secret))
        {
            return null;
        }

        // The recursive part walks down from the key's organisation to its clients; the
        // depth cap keeps a corrupted parent cycle from looping.
        await using var command = _dataSource.CreateCommand("""
            with recursive k as (
                select id, organisation_id, secret_hash, last_used_at, role, agent_destination from api_keys where prefix = $1 and revoked_at is null
            ), visible(id, depth) as (
                select organisation_id, 0 from k
                union
                select o.id, v.depth + 1 from organisations o join visible v on o.parent_id = v.id where v.depth < 16
            )
            select k.id, k.organisation_id, k.secret_hash, k.last_used_at, array(select distinct id from visible), k.role, k.agent_destination
            from k
            """);
        command.Parameters.Add(new() { Value = prefix });
        Guid keyId;
        Guid organisationId;
        DateTimeOffset? lastUsed;
        Guid[] visible;
        Role role;
        string? agentDestination;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                // Hash anyway so an unknown prefix takes as long as a wrong secret.
                ApiKeyFormat.Matches(secret, new byte[32]);
                return null;
            }

            keyId = reader.GetGuid(0);
            organisationId = reader.GetGuid(1);
            if (!ApiKeyFormat.Matches(secret, reader.GetFieldValue<byte[]>(2)))
            {
                return null;
            }

            lastUsed = reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3);
            visible = reader.GetFieldValue<Guid[]>(4);
            RoleNames.TryParse(reader.GetString(5), out var stored);
            role = stored ?? Role.Analyst;
            agentDestination = reader.IsDBNull(6) ? null : reader.GetString(6);
        }

        var now = _time.GetUtcNow();
        if (lastUsed is null || now - lastUsed.Value > TimeSpan.FromMinutes(1))
        {
            await using var touch = _dataSource.CreateCommand("update api_keys set last_used_at = $2 where id = $1");
            touch.Parameters.Add(new() { Value = keyId });
            touch.Parameters.Add(new() { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            await touch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // The key's own organisation first.
        return new ApiPrincipal(prefix, organisationId, ApiPrincipal.Visible(role, organisationId, visible), role, agentDestination);
    }

    Task<ApiPrincipal?> IBearerAuthenticator.AuthenticateAsync(string bearer, CancellationToken cancellationToken) => AuthenticateAsync(bearer, cancellationToken);
}
