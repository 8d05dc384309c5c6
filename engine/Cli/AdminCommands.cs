using System.Globalization;
using CallTracking.Engine.Api;
using CallTracking.Engine.Dashboard;
using CallTracking.Engine.Provisioning;
using CallTracking.Engine.Sip.Trunks;
using CallTracking.Engine.Privacy;
using CallTracking.Engine.Security;
using System.Text.Json.Nodes;
using Npgsql;

namespace CallTracking.Engine.Cli;

/// <summary>The database commands (<c>provision</c>, <c>keys create|list|revoke</c>, <c>users add|list|remove</c>) once the database is open.</summary>
internal static class AdminCommands
{
    public static async Task<int> ProvisionAsync(NpgsqlDataSource dataSource, string file, IReadOnlyList<Trunk> trunks, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var result = await ProvisioningFile.ApplyAsync(file, dataSource, trunks, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            await error.WriteLineAsync($"calltracking: provisioning file {file} is invalid; nothing was applied").ConfigureAwait(false);
            foreach (var fault in result.Errors)
            {
                await error.WriteLineAsync($"  {fault}").ConfigureAwait(false);
            }

            return CliExitCodes.Config;
        }

        foreach (var change in result.Changes)
        {
            await output.WriteLineAsync(change.ToString()).ConfigureAwait(false);
        }

        await output.WriteLineAsync(result.Summary).ConfigureAwait(false);
        return CliExitCodes.Ok;
    }

    public static async Task<int> CreateKeyAsync(NpgsqlDataSource dataSource, string organisation, string? name, string? roleName, string? agentDestination, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        Role? role = null;
        if (roleName is not null)
        {
            if (!RoleNames.TryParse(roleName, out role))
            {
                return await NoSuchRoleAsync(error, roleName).ConfigureAwait(false);
            }
        }

        var created = await new ApiKeyStore(dataSource, TimeProvider.System).CreateAsync(organisation, name, cancellationToken, role, agentDestination).ConfigureAwait(false);
        if (created is null)
        {
            return await NoSuchOrganisationAsync(error, organisation).ConfigureAwait(false);
        }

        await Audit(dataSource).RecordAsync(AuditActions.KeyCreated, created.OrganisationId, CliActor, "key:" + created.Prefix, new JsonObject
        {
            ["organisation"] = organisation,
            ["name"] = name,
            ["role"] = created.Role,
            ["agentDestination"] = agentDestination,
        }, cancellationToken).ConfigureAwait(false);

        // The key alone on the first line, so scripts can read it; it is never shown again.
        await output.WriteLineAsync(created.Key).ConfigureAwait(false);
        await error.WriteLineAsync($"created key {created.Prefix} for {organisation}; store it now, it cannot be shown again").ConfigureAwait(false);
        return CliExitCodes.Ok;
    }

    public static async Task<int> ListKeysAsync(NpgsqlDataSource dataSource, string organisation, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var keys = await new ApiKeyStore(dataSource, TimeProvider.System).ListAsync(organisation, cancellationToken).ConfigureAwait(false);
        if (keys is null)
        {
            return await NoSuchOrganisationAsync(error, organisation).ConfigureAwait(false);
        }

        await output.WriteLineAsync($"{"PREFIX",-10}{"STATE",-9}{"CREATED",-22}{"LAST USED",-22}NAME").ConfigureAwait(false);
        foreach (var key in keys)
        {
            var state = key.RevokedAt is null ? "active" : "revoked";
            await output.WriteLineAsync($"{key.Prefix,-10}{state,-9}{Format(key.CreatedAt),-22}{(key.LastUsedAt is { } used ? Format(used) : "never"),-22}{key.Name}").ConfigureAwait(false);
        }

        return CliExitCodes.Ok;
    }

    public static async Task<int> RevokeKeyAsync(NpgsqlDataSource dataSource, string prefix, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        // Accept the whole key too: people paste what they have.
        if (ApiKeyFormat.TryParse(prefix, out var parsed, out _))
        {
            prefix = parsed;
        }

        if (await new ApiKeyStore(dataSource, TimeProvider.System).RevokeKeyAsync(prefix, cancellationToken).ConfigureAwait(false) is not { } organisationId)
        {
            await error.WriteLineAsync($"calltracking: no active key with prefix '{prefix}'.").ConfigureAwait(false);
            return CliExitCodes.Config;
        }

        await Audit(dataSource).RecordAsync(AuditActions.KeyRevoked, organisationId, CliActor, "key:" + prefix, null, cancellationToken).ConfigureAwait(false);

        await output.WriteLineAsync($"revoked key {prefix}").ConfigureAwait(false);
        return CliExitCodes.Ok;
    }

    public static async Task<int> AddUserAsync(NpgsqlDataSource dataSource, string organisation, string username, string passwordHash, string? roleName, string? agentDestination, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        Role? role = null;
        if (roleName is not null)
        {
            if (!RoleNames.TryParse(roleName, out role))
            {
                return await NoSuchRoleAsync(error, roleName).ConfigureAwait(false);
            }
        }

        if (username.Length is 0 or > 200 || username.Any(char.IsControl))
        {
            await error.WriteLineAsync("calltracking: the user name must be 1 to 200 printable characters.").ConfigureAwait(false);
            return CliExitCodes.Config;
        }

        switch (await new DashboardUserStore(dataSource).AddAsync(organisation, username, passwordHash, cancellationToken, role, agentDestination).ConfigureAwait(false))
        {
            case DashboardUserAddResult.NoSuchOrganisation:
                return await NoSuchOrganisationAsync(error, organisation).ConfigureAwait(false);
            case DashboardUserAddResult.UsernameTaken:
                await error.WriteLineAsync($"calltracking: there is already a user named '{username}' (user names are compared case-insensitively).").ConfigureAwait(false);
                return CliExitCodes.Config;
            default:
                await Audit(dataSource).RecordAsync(AuditActions.UserAdded, null, CliActor, "user:" + username, new JsonObject
                {
                    ["organisation"] = organisation,
                    ["role"] = role is { } r ? RoleNames.Name(r) : null,
                    ["agentDestination"] = agentDestination,
                }, cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync($"added user {username} to {organisation}").ConfigureAwait(false);
                return CliExitCodes.Ok;
        }
    }

    public static async Task<int> ListUsersAsync(NpgsqlDataSource dataSource, string? organisation, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var users = await new DashboardUserStore(dataSource).ListAsync(organisation, cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"{"USERNAME",-24}{"ORGANISATION",-24}{"STATE",-10}{"CREATED",-22}LAST SIGN-IN").ConfigureAwait(false);
        foreach (var user in users)
        {
            var state = user.Disabled ? "disabled" : "active";
            await output.WriteLineAsync($"{user.Username,-24}{user.Organisation,-24}{state,-10}{Format(user.CreatedAt),-22}{(user.LastSignInAt is { } at ? Format(at) : "never")}").ConfigureAwait(false);
        }

        return CliExitCodes.Ok;
    }

    public static async Task<int> RemoveUserAsync(NpgsqlDataSource dataSource, string username, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!await new DashboardUserStore(dataSource).RemoveAsync(username, cancellationToken).ConfigureAwait(false))
        {
            await error.WriteLineAsync($"calltracking: no user named '{username}'.").ConfigureAwait(false);
            return CliExitCodes.Config;
        }

        await Audit(dataSource).RecordAsync(AuditActions.UserRemoved, null, CliActor, "user:" + username, null, cancellationToken).ConfigureAwait(false);

        await output.WriteLineAsync($"removed user {username}").ConfigureAwait(false);
        return CliExitCodes.Ok;
    }

    /// <summary>Who acts on the command line, for the audit trail.</summary>
    internal static string CliActor => "cli:" + Environment.UserName;

    private static AuditTrail Audit(NpgsqlDataSource dataSource) => new(dataSource, TimeProvider.System);

    private static async Task<int> NoSuchRoleAsync(TextWriter error, string role)
    {
        await error.WriteLineAsync($"calltracking: no role named '{role}' (one of {string.Join(", ", RoleNames.All)}).").ConfigureAwait(false);
        return CliExitCodes.Config;
    }

    private static async Task<int> NoSuchOrganisationAsync(TextWriter error, string organisation)
    {
        await error.WriteLineAsync($"calltracking: no organisation named '{organisation}' (create it with 'calltracking provision FILE').").ConfigureAwait(false);
        return CliExitCodes.Config;
    }

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
