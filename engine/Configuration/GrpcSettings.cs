using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace CallTracking.Engine.Configuration;

/// <summary>Validated <c>Grpc</c> section: where Kestrel listens for HTTP/2 only (h2c without <see cref="Certificate"/>, TLS with it).</summary>
public sealed record GrpcSettings(IPAddress Address, int Port, X509Certificate2? Certificate)
{
    public const string DefaultListen = "http://127.0.0.1:8081";

    public static readonly GrpcSettings Default = new(IPAddress.Loopback, 8081, null);
}
