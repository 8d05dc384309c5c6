namespace CallTracking.Engine.Api;

/// <summary>What <see cref="RecordingLinks.CheckAsync"/> found.</summary>
public enum RecordingLinkCheck
{
    Valid,

    /// <summary>The parameters are missing, malformed, altered, or the signature is not the engine's.</summary>
    BadSignature,

    /// <summary>A genuine link whose time is up.</summary>
    Expired,
}
