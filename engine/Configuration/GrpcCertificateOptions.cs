namespace CallTracking.Engine.Configuration;

/// <summary><c>Grpc:Certificate</c>: a PEM certificate (with <see cref="KeyPath"/>, or the key in the same file) or a PKCS#12 file (<c>.pfx</c>/<c>.p12</c>, with <see cref="Password"/>).</summary>
public sealed class GrpcCertificateOptions
{
    public string? Path { get; set; }

    public string? KeyPath { get; set; }

    public string? Password { get; set; }
}
