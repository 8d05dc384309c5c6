namespace CallTracking.Grpc.Diagnostics;

/// <summary>The <c>reason</c> tag values of <see cref="GrpcMetrics.RequestRejected"/>.</summary>
public static class RejectReasons
{
    public const string NotHttp2 = "not_http2";
    public const string NotPost = "not_post";
    public const string UnsupportedContentType = "unsupported_content_type";
    public const string UnknownMethod = "unknown_method";
    public const string UnsupportedEncoding = "unsupported_encoding";
}
