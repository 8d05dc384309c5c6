namespace CallTracking.Engine.Provisioning;

/// <summary>What applying a provisioning file did to one object.</summary>
public enum ProvisioningAction
{
    Unchanged,
    Created,
    Updated,
}
