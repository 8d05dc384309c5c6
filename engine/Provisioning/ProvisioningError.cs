namespace CallTracking.Engine.Provisioning;

/// <summary>One thing wrong with a provisioning file: the JSON path (<c>$.Organisations[0].Numbers[1].Number</c>) and what is wrong.</summary>
public sealed record ProvisioningError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
