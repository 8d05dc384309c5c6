using Npgsql;
using NpgsqlTypes;
using CallTracking.Engine.Security;

namespace CallTracking.Engine.Dashboard;

/// <summary>Dashboard users in the <c>dashboard_users</c> table: add, list, remove (the CLI's <c>users</c> commands).</summary>
public sealed class DashboardUserStore
{
    private readonly NpgsqlDataSource _dataSource;

    public DashboardUserStore(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
    }

    /// <summary>Adds a user of the organisation named <paramref name="organisation"/> with an already hashed password.</summary>
    /// <remarks>Without a <paramref name="role"/> the user is their organisation's admin (agency admin when it has clients).</remarks>
    public async Task<DashboardUserAddResult> AddAsync(string organisation, string username, string passwordHash, CancellationToken cancellationToken, Role? role = null, string? agentDestination = null)
    {
        ArgumentNullException.ThrowIfNull(organisation);
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(passwordHash);
        await using var command = _dataSource.CreateCommand("""
            insert into dashboard_users (organisation_id, username, password_hash, role, agent_destination)
            select o.id, $2, $3,
                   coalesce($4, case when exists (select 1 from organisations c where c.parent_id = o.id) then 'agency_admin' else 'org_admin' end), $5
            from organisations o where o.name = $1
            """);
        command.Parameters.Add(new() { Value = organisation });
        command.Parameters.Add(new() { Value = username });
        command.Parameters.Add(new() { Value = passwordHash });
        command.Parameters.Add(new() { Value = role is { } r ? RoleNames.Name(r) : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)agentDestination ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        try
        {
            var rows = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return rows == 0 ? DashboardUserAddResult.NoSuchOrganisation : DashboardUserAddResult.Created;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return DashboardUserAddResult.UsernameTaken;
        }
    }

    /// <summary>Every user (or those of one organisation), by organisation then user name.</summary>
    public async Task<IReadOnlyList<DashboardUserInfo>> ListAsync(string? organisation, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("""
            select u.username, o.name, u.created_at, u.last_sign_in_at, u.disabled
            from dashboard_users u join organisations o on o.id = u.organisation_id
            where $1::text is null or o.name = $1
            order by o.name, lower(u.username)
            """);
        command.Parameters.Add(new() { Value = (object?)organisation ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var users = new List<DashboardUserInfo>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            users.Add(new DashboardUserInfo(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetFieldValue<DateTimeOffset>(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetBoolean(4)));
        }

        return users;
    }

    /// <summary>Removes the user and (by cascade) every session of theirs; false if there is no such user.</summary>
    public async Task<bool> RemoveAsync(string username, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(username);
        await using var command = _dataSource.CreateCommand("delete from dashboard_users where lower(username) = lower($1)");
        command.Parameters.Add(new() { Value = username });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }
}
