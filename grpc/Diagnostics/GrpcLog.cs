using Microsoft.Extensions.Logging;

namespace CallTracking.Grpc.Diagnostics;

/// <summary>The wire layer's log messages.</summary>
internal static partial class GrpcLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "gRPC method {Method} failed; the client gets INTERNAL")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string method);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "gRPC request for unknown method {Path}")]
    public static partial void UnknownMethod(ILogger logger, string path);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "gRPC request {Path} over {Protocol} refused: gRPC needs HTTP/2")]
    public static partial void NotHttp2(ILogger logger, string path, string protocol);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "gRPC request {Path} with unsupported grpc-encoding {Encoding}")]
    public static partial void UnsupportedEncoding(ILogger logger, string path, string encoding);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "gRPC request {Path} has an invalid grpc-timeout {Timeout}; ignored")]
    public static partial void InvalidTimeout(ILogger logger, string path, string timeout);

    [LoggerMessage(EventId = 6, Level = LogLevel.Debug, Message = "gRPC call {Method} ended {Status}: {Detail}")]
    public static partial void CallFailed(ILogger logger, string method, string status, string? detail);

    [LoggerMessage(EventId = 7, Level = LogLevel.Debug, Message = "gRPC call {Method}: the client went away before the status was sent")]
    public static partial void ClientGone(ILogger logger, Exception? exception, string method);

    [LoggerMessage(EventId = 8, Level = LogLevel.Debug, Message = "gRPC call {Method} passed its deadline")]
    public static partial void DeadlineExceeded(ILogger logger, string method);
}
