namespace CallTracking.Engine.Provisioning;

/// <summary>The start-up provisioning file could not be applied; nothing in it was. The engine exits 78 (EX_CONFIG).</summary>
public sealed class ProvisioningException : Exception
{
    public ProvisioningException()
        : this("", [])
    {
    }

    public ProvisioningException(string message)
        : this(message, [])
    {
    }

    public ProvisioningException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    public ProvisioningException(string message, IReadOnlyList<ProvisioningError> errors)
        : base(message)
    {
        Errors = errors;
    }

    public IReadOnlyList<ProvisioningError> Errors { get; }
}
