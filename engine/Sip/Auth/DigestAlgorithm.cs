namespace CallTracking.Engine.Sip.Auth;

/// <summary>RFC 7616 §6.1 algorithms we can answer.</summary>
public enum DigestAlgorithm
{
    Md5 = 0,
    Md5Session,
    Sha256,
    Sha256Session,
}
