using Npgsql;
using NpgsqlTypes;

namespace CallTracking.Engine.Provisioning;

/// <summary>
/// Applies a <see cref="ProvisioningDocument"/> to the database in one transaction: creates
/// what is missing, updates only what differs, leaves the rest untouched, and reports each
/// object. Objects the file does not mention are never deleted. If any reference cannot be
/// resolved (an unknown parent, plan or campaign) nothing is applied and every such error is
/// returned with its JSON path. Concurrent runs are serialised by a transaction-scoped
/// advisory lock.
/// </summary>
public sealed partial class Provisioner
{
    // Any fixed number: it names the provisioning lock among this database's advisory locks.
    private const long AdvisoryLockKey = 0x4354_5052_4F56; // "CTPROV"

    private readonly NpgsqlDataSource _dataSource;

    public Provisioner(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
    }

    public async Task<ProvisioningResult> ApplyAsync(ProvisioningDocument document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var run = new Run(connection, transaction, cancellationToken);
                await run.ExecuteAsync("select pg_advisory_xact_lock($1)", P(AdvisoryLockKey, NpgsqlDbType.Bigint)).ConfigureAwait(false);

                var organisations = await ApplyOrganisationsAsync(run, document.Organisations).ConfigureAwait(false);
                if (run.Errors.Count == 0)
                {
                    await ApplyTrunksAsync(run, document.Trunks, organisations).ConfigureAwait(false);
                    foreach (var organisation in document.Organisations)
                    {
                        var organisationId = organisations[organisation.Name].Id;
                        await ApplyPlansAsync(run, organisation, organisationId).ConfigureAwait(false);
                        await ApplyCampaignsAsync(run, organisation, organisationId).ConfigureAwait(false);
                        await ApplyNumbersAsync(run, organisation, organisationId).ConfigureAwait(false);
                    }
                }

                if (run.Errors.Count > 0)
                {
                    await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                    return ProvisioningResult.Failed(run.Errors);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return ProvisioningResult.Applied(run.Changes);
            }
        }
    }

    private static async Task<Dictionary<string, OrganisationRow>> ApplyOrganisationsAsync(Run run, IReadOnlyList<OrganisationSpec> specs)
    {
        var byName = new Dictionary<string, OrganisationRow>(StringComparer.Ordinal);
        var byId = new Dictionary<Guid, OrganisationRow>();
        await run.ReadAsync("select id, name, parent_id, time_zone from organisations", reader =>
        {
            var row = new OrganisationRow(reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetGuid(2), reader.GetString(3));
            byName[row.Name] = row;
            byId[row.Id] = row;
        }).ConfigureAwait(false);

        // A parent that is new in this file must be created before its clients: take, pass after
        // pass, every organisation whose parent is already known.
        var pending = specs.ToList();
        while (pending.Count > 0)
        {
            var ready = pending.Where(s => s.Parent is null || byName.ContainsKey(s.Parent)).ToList();
            if (ready.Count == 0)
            {
                foreach (var spec in pending)
                {
                    run.Error($"{spec.Path}.Parent", $"parent organisation \"{spec.Parent}\" is neither in this file nor in the database");
                }

                break;
            }

            foreach (var spec in ready)
            {
                pending.Remove(spec);
                var parentId = spec.Parent is null ? (Guid?)null : byName[spec.Parent].Id;
                if (!byName.TryGetValue(spec.Name, out var existing))
                {
                    var id = await run.ScalarAsync<Guid>(
                        "insert into organisations (name, parent_id, time_zone) values ($1, $2, $3) returning id",
                        P(spec.Name), P(parentId, NpgsqlDbType.Uuid), P(spec.TimeZone ?? "UTC")).ConfigureAwait(false);
                    var row = new OrganisationRow(id, spec.Name, parentId, spec.TimeZone ?? "UTC");
                    byName[spec.Name] = row;
                    byId[id] = row;
                    run.Change("organisation", spec.Name, ProvisioningAction.Created);
                    continue;
                }

                if (parentId is { } newParent && IsAncestorOrSelf(existing.Id, newParent, byId))
                {
                    run.Error($"{spec.Path}.Parent", $"\"{spec.Parent}\" is a client of \"{spec.Name}\"; an agency cannot be its own client");
                    continue;
                }

                var fields = new List<string>();
                if (existing.ParentId != parentId)
                {
                    fields.Add("parent");
                }

                var timeZone = spec.TimeZone ?? existing.TimeZone;
                if (existing.TimeZone != timeZone)
                {
                    fields.Add("time zone");
                }

                if (fields.Count > 0)
                {
                    await run.ExecuteAsync(
                        "update organisations set parent_id = $2, time_zone = $3, updated_at = now() where id = $1",
                        P(existing.Id, NpgsqlDbType.Uuid), P(parentId, NpgsqlDbType.Uuid), P(timeZone)).ConfigureAwait(false);
                    var row = existing with { ParentId = parentId, TimeZone = timeZone };
                    byName[spec.Name] = row;
                    byId[row.Id] = row;
                }

                run.Change("organisation", spec.Name, fields);
            }
        }

        return byName;
    }

    private static bool IsAncestorOrSelf(Guid candidate, Guid start, Dictionary<Guid, OrganisationRow> byId)
    {
        Guid? current = start;
        for (var depth = 0; current is { } id && depth <= byId.Count; depth++)
        {
            if (id == candidate)
            {
                return true;
            }

            current = byId.TryGetValue(id, out var row) ? row.ParentId : null;
        }

        return false;
    }

    private static async Task ApplyTrunksAsync(Run run, IReadOnlyList<TrunkSpec> specs, Dictionary<string, OrganisationRow> organisations)
    {
        foreach (var spec in specs)
        {
            Guid? organisationId = null;
            if (spec.Organisation is not null)
            {
                if (!organisations.TryGetValue(spec.Organisation, out var owner))
                {
                    run.Error($"{spec.Path}.Organisation", $"organisation \"{spec.Organisation}\" is neither in this file nor in the database");
                    continue;
                }

                organisationId = owner.Id;
            }

            Guid? id = null;
            Guid? currentOrganisation = null;
            var sameDefinition = false;
            await run.ReadAsync(
                "select id, organisation_id, definition = $2 from trunks where name = $1",
                reader =>
                {
                    id = reader.GetGuid(0);
                    currentOrganisation = reader.IsDBNull(1) ? null : reader.GetGuid(1);
                    sameDefinition = reader.GetBoolean(2);
                },
                P(spec.Name), P(spec.DefinitionJson, NpgsqlDbType.Jsonb)).ConfigureAwait(false);

            if (id is null)
            {
                await run.ExecuteAsync(
                    "insert into trunks (name, organisation_id, definition) values ($1, $2, $3)",
                    P(spec.Name), P(organisationId, NpgsqlDbType.Uuid), P(spec.DefinitionJson, NpgsqlDbType.Jsonb)).ConfigureAwait(false);
                run.Change("trunk", spec.Name, ProvisioningAction.Created);
                continue;
            }

            var fields = new List<string>();
            if (currentOrganisation != organisationId)
            {
                fields.Add("organisation");
            }

            if (!sameDefinition)
            {
                fields.Add("definition");
            }

            if (fields.Count > 0)
            {
                await run.ExecuteAsync(
                    "update trunks set organisation_id = $2, definition = $3, updated_at = now() where id = $1",
                    P(id.Value, NpgsqlDbType.Uuid), P(organisationId, NpgsqlDbType.Uuid), P(spec.DefinitionJson, NpgsqlDbType.Jsonb)).ConfigureAwait(false);
            }

            run.Change("trunk", spec.Name, fields);
        }
    }

    private sealed record OrganisationRow(Guid Id, string Name, Guid? ParentId, string TimeZone);
}
