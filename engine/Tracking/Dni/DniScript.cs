using System.Security.Cryptography;

namespace CallTracking.Engine.Tracking.Dni;

/// <summary>The <c>/dni.js</c> file (embedded in the executable) and its entity tag, read once.</summary>
public sealed class DniScript
{
    private const string ResourceName = "CallTracking.Engine.Tracking.Dni.dni.js";

    public DniScript()
    {
        using var stream = typeof(DniScript).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the embedded resource {ResourceName} is missing");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        Content = copy.ToArray();
        ETag = "\"" + Convert.ToHexStringLower(SHA256.HashData(Content).AsSpan(0, 12)) + "\"";
    }

    public byte[] Content { get; }

    /// <summary>A strong entity tag (RFC 9110 §8.8.3) from the content's SHA-256.</summary>
    public string ETag { get; }
}
