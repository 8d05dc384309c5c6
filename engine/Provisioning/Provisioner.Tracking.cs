using NpgsqlTypes;

namespace CallTracking.Engine.Provisioning;

/// <summary>An organisation's routing plans, campaigns and tracking numbers, in that order (each refers to the one before).</summary>
public sealed partial class Provisioner
{
    private static async Task ApplyPlansAsync(Run run, OrganisationSpec organisation, Guid organisationId)
    {
        foreach (var spec in organisation.Plans)
        {
            var name = $"{organisation.Name}/{spec.Name}";
            Guid? id = null;
            var same = false;
            await run.ReadAsync(
                "select id, definition = $3 from routing_plans where organisation_id = $1 and name = $2",
                reader =>
                {
                    id = reader.GetGuid(0);
                    same = reader.GetBoolean(1);
                },
                P(organisationId, NpgsqlDbType.Uuid), P(spec.Name), P(spec.DefinitionJson, NpgsqlDbType.Jsonb)).ConfigureAwait(false);

            if (id is null)
            {
                await run.ExecuteAsync(
                    "insert into routing_plans (organisation_id, name, definition) values ($1, $2, $3)",
                    P(organisationId, NpgsqlDbType.Uuid), P(spec.Name), P(spec.DefinitionJson, NpgsqlDbType.Jsonb)).ConfigureAwait(false);
                run.Change("plan", name, ProvisioningAction.Created);
            }
            else if (!same)
            {
                await run.ExecuteAsync(
                    "update routing_plans set definition = $2 where id = $1",
                    P(id.Value, NpgsqlDbType.Uuid), P(spec.DefinitionJson, NpgsqlDbType.Jsonb)).ConfigureAwait(false);
                run.Change("plan", name, ["definition"]);
            }
            else
            {
                run.Change("plan", name, []);
            }
        }
    }

    private static async Task ApplyCampaignsAsync(Run run, OrganisationSpec organisation, Guid organisationId)
    {
        var plans = await run.NamesAsync("routing_plans", organisationId).ConfigureAwait(false);
        foreach (var spec in organisation.Campaigns)
        {
            var name = $"{organisation.Name}/{spec.Name}";
            if (!TryResolve(run, plans, spec.Plan, $"{spec.Path}.Plan", "plan", organisation.Name, out var planId))
            {
                continue;
            }

            Guid? id = null;
            Guid? currentPlan = null;
            await run.ReadAsync(
                "select id, default_plan_id from campaigns where organisation_id = $1 and name = $2",
                reader =>
                {
                    id = reader.GetGuid(0);
                    currentPlan = reader.IsDBNull(1) ? null : reader.GetGuid(1);
                },
                P(organisationId, NpgsqlDbType.Uuid), P(spec.Name)).ConfigureAwait(false);

            if (id is null)
            {
                await run.ExecuteAsync(
                    "insert into campaigns (organisation_id, name, default_plan_id) values ($1, $2, $3)",
                    P(organisationId, NpgsqlDbType.Uuid), P(spec.Name), P(planId, NpgsqlDbType.Uuid)).ConfigureAwait(false);
                run.Change("campaign", name, ProvisioningAction.Created);
            }
            else if (currentPlan != planId)
            {
                await run.ExecuteAsync(
                    "update campaigns set default_plan_id = $2 where id = $1",
                    P(id.Value, NpgsqlDbType.Uuid), P(planId, NpgsqlDbType.Uuid)).ConfigureAwait(false);
                run.Change("campaign", name, ["plan"]);
            }
            else
            {
                run.Change("campaign", name, []);
            }
        }
    }

    private static async Task ApplyNumbersAsync(Run run, OrganisationSpec organisation, Guid organisationId)
    {
        var plans = await run.NamesAsync("routing_plans", organisationId).ConfigureAwait(false);
        var campaigns = await run.NamesAsync("campaigns", organisationId).ConfigureAwait(false);
        foreach (var spec in organisation.Numbers)
        {
            if (!TryResolve(run, campaigns, spec.Campaign, $"{spec.Path}.Campaign", "campaign", organisation.Name, out var campaignId)
                | !TryResolve(run, plans, spec.Plan, $"{spec.Path}.Plan", "plan", organisation.Name, out var planId))
            {
                continue;
            }

            Guid? id = null;
            var current = (Organisation: Guid.Empty, Campaign: (Guid?)null, Plan: (Guid?)null, Name: (string?)null);
            await run.ReadAsync(
                "select id, organisation_id, campaign_id, plan_id, name from tracking_numbers where number = $1",
                reader =>
                {
                    id = reader.GetGuid(0);
                    current = (
                        reader.GetGuid(1),
                        reader.IsDBNull(2) ? null : reader.GetGuid(2),
                        reader.IsDBNull(3) ? null : reader.GetGuid(3),
                        reader.IsDBNull(4) ? null : reader.GetString(4));
                },
                P(spec.Number)).ConfigureAwait(false);

            if (id is null)
            {
                await run.ExecuteAsync(
                    "insert into tracking_numbers (number, organisation_id, campaign_id, plan_id, name) values ($1, $2, $3, $4, $5)",
                    P(spec.Number), P(organisationId, NpgsqlDbType.Uuid), P(campaignId, NpgsqlDbType.Uuid), P(planId, NpgsqlDbType.Uuid), P(spec.Name, NpgsqlDbType.Text)).ConfigureAwait(false);
                run.Change("number", spec.Number, ProvisioningAction.Created);
                continue;
            }

            var fields = new List<string>();
            if (current.Organisation != organisationId)
            {
                fields.Add("organisation");
            }

            if (current.Campaign != campaignId)
            {
                fields.Add("campaign");
            }

            if (current.Plan != planId)
            {
                fields.Add("plan");
            }

            if (current.Name != spec.Name)
            {
                fields.Add("name");
            }

            if (fields.Count > 0)
            {
                await run.ExecuteAsync(
                    "update tracking_numbers set organisation_id = $2, campaign_id = $3, plan_id = $4, name = $5, updated_at = now() where id = $1",
                    P(id.Value, NpgsqlDbType.Uuid), P(organisationId, NpgsqlDbType.Uuid), P(campaignId, NpgsqlDbType.Uuid), P(planId, NpgsqlDbType.Uuid), P(spec.Name, NpgsqlDbType.Text)).ConfigureAwait(false);
            }

            run.Change("number", spec.Number, fields);
        }
    }

    private static bool TryResolve(Run run, Dictionary<string, Guid> names, string? name, string path, string kind, string organisation, out Guid? id)
    {
        id = null;
        if (name is null)
        {
            return true;
        }

        if (names.TryGetValue(name, out var found))
        {
            id = found;
            return true;
        }

        run.Error(path, $"{kind} \"{name}\" does not exist in organisation \"{organisation}\" (neither in this file nor in the database)");
        return false;
    }
}
