namespace CallTracking.Grpc.Protocol;

/// <summary>How a request is framed, from its <c>content-type</c>.</summary>
public enum GrpcWireFormat
{
    /// <summary>Not a gRPC content type: the request is not ours.</summary>
    None,

    /// <summary><c>application/grpc</c>, <c>application/grpc+proto</c>: gRPC over HTTP/2.</summary>
    Grpc,

    /// <summary><c>application/grpc-web</c>, <c>application/grpc-web+proto</c>: binary gRPC-Web, any HTTP version.</summary>
    GrpcWeb,

    /// <summary><c>application/grpc-web-text</c>, <c>application/grpc-web-text+proto</c>: base64 gRPC-Web.</summary>
    GrpcWebText,

    /// <summary>A gRPC content type with a message format other than proto (e.g. <c>+json</c>): answered 415.</summary>
    UnsupportedFormat,
}
