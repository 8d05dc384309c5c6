namespace CallTracking.Grpc.Server;

/// <summary>Limits and behaviour of the wire layer.</summary>
public sealed class GrpcServerOptions
{
    /// <summary>The largest request message accepted (after decompression); larger is RESOURCE_EXHAUSTED. Default 4 MiB.</summary>
    public int MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>The largest response message sent; a handler producing larger fails with RESOURCE_EXHAUSTED. Default 4 MiB.</summary>
    public int MaxSendMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Compress responses with gzip when the client accepts it (<c>grpc-accept-encoding</c>). Default true.</summary>
    public bool CompressResponses { get; set; } = true;

    /// <summary>Answer gRPC-Web (<c>application/grpc-web</c>, <c>application/grpc-web-text</c>) as well as gRPC. Default true.</summary>
    public bool EnableGrpcWeb { get; set; } = true;
}
