namespace CallTracking.Grpc.Server;

/// <summary>
/// Thrown by a method handler to end the call with <see cref="Status"/> and <see cref="Detail"/> as
/// <c>grpc-status</c> / <c>grpc-message</c>. Any other exception from a handler ends the call with
/// <see cref="StatusCode.Internal"/> and a generic message (the exception is logged, never sent).
/// </summary>
public sealed class GrpcException : Exception
{
    public GrpcException(StatusCode status, string detail)
        : base(detail)
    {
        Status = status;
        Detail = detail;
    }

    public GrpcException()
        : this(StatusCode.Unknown, "unknown error")
    {
    }

    public GrpcException(string message)
        : this(StatusCode.Unknown, message)
    {
    }

    public GrpcException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = StatusCode.Unknown;
        Detail = message;
    }

    public StatusCode Status { get; }

    public string Detail { get; }
}
