namespace CallTracking.Grpc.Protocol;

/// <summary>Header names and fixed values of PROTOCOL-HTTP2.md and PROTOCOL-WEB.md.</summary>
public static class GrpcHeaders
{
    public const string Status = "grpc-status";
    public const string Message = "grpc-message";
    public const string Timeout = "grpc-timeout";
    public const string Encoding = "grpc-encoding";
    public const string AcceptEncoding = "grpc-accept-encoding";

    public const string IdentityEncoding = "identity";
    public const string GzipEncoding = "gzip";

    /// <summary>What we accept, sent on every response and on UNIMPLEMENTED for an unknown encoding.</summary>
    public const string SupportedEncodings = "identity,gzip";
}
