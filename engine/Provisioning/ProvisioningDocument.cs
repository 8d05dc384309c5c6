namespace CallTracking.Engine.Provisioning;

/// <summary>A parsed provisioning file: the organisations (with their plans, campaigns and numbers) and the trunks it declares.</summary>
public sealed record ProvisioningDocument(IReadOnlyList<OrganisationSpec> Organisations, IReadOnlyList<TrunkSpec> Trunks);
