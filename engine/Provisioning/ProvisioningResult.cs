namespace CallTracking.Engine.Provisioning;

/// <summary>
/// The outcome of applying a provisioning file: either every change (committed), or the
/// errors that stopped it (nothing was applied).
/// </summary>
public sealed class ProvisioningResult
{
    private ProvisioningResult(IReadOnlyList<ProvisioningChange> changes, IReadOnlyList<ProvisioningError> errors)
    {
        Changes = changes;
        Errors = errors;
    }

    public bool Succeeded => Errors.Count == 0;

    public IReadOnlyList<ProvisioningChange> Changes { get; }

    public IReadOnlyList<ProvisioningError> Errors { get; }

    public int Created => Changes.Count(c => c.Action == ProvisioningAction.Created);

    public int Updated => Changes.Count(c => c.Action == ProvisioningAction.Updated);

    public int Unchanged => Changes.Count(c => c.Action == ProvisioningAction.Unchanged);

    /// <summary>One line: <c>3 created, 1 updated, 5 unchanged</c>, or <c>no changes (9 unchanged)</c>.</summary>
    public string Summary => Created + Updated == 0
        ? $"no changes ({Unchanged} unchanged)"
        : $"{Created} created, {Updated} updated, {Unchanged} unchanged";

    public static ProvisioningResult Applied(IReadOnlyList<ProvisioningChange> changes) => new(changes, []);

    public static ProvisioningResult Failed(IReadOnlyList<ProvisioningError> errors) => new([], errors);
}
