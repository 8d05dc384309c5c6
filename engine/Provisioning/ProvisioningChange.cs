namespace CallTracking.Engine.Provisioning;

/// <summary>One object of the file and what applying it did: <c>updated number +15551230001 (campaign)</c>.</summary>
/// <param name="Kind">organisation, trunk, plan, campaign or number.</param>
/// <param name="Name">The object's name (qualified by its organisation for plans and campaigns).</param>
/// <param name="Fields">For an update, the fields that changed.</param>
public sealed record ProvisioningChange(string Kind, string Name, ProvisioningAction Action, IReadOnlyList<string> Fields)
{
    public override string ToString()
    {
        var verb = Action switch
        {
            ProvisioningAction.Created => "created",
            ProvisioningAction.Updated => "updated",
            _ => "unchanged",
        };
        return Fields.Count > 0 ? $"{verb} {Kind} {Name} ({string.Join(", ", Fields)})" : $"{verb} {Kind} {Name}";
    }
}
