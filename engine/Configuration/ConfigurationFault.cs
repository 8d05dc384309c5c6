namespace CallTracking.Engine.Configuration;

/// <summary>One thing wrong with the configuration: the key path (<c>Sip:Listen:1</c>) and what is wrong with it.</summary>
public sealed record ConfigurationFault(string Key, string Message)
{
    public override string ToString() => $"{Key}: {Message}";
}
