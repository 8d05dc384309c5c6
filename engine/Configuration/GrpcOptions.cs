namespace CallTracking.Engine.Configuration;

/// <summary>The <c>Grpc</c> section: the gRPC (HTTP/2) listener.</summary>
public sealed class GrpcOptions
{
    /// <summary><c>http://ADDRESS:PORT</c> (h2c, the default <c>http://127.0.0.1:8081</c>) or <c>https://ADDRESS:PORT</c> with a certificate.</summary>
    public string? Listen { get; set; }

    public GrpcCertificateOptions Certificate { get; set; } = new();
}
