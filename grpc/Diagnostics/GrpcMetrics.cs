using System.Diagnostics.Metrics;
using CallTracking.Grpc.Server;

namespace CallTracking.Grpc.Diagnostics;

/// <summary>
/// The wire layer's counters (meter <see cref="MeterName"/>): calls started and completed (by method and
/// status), messages sent and received (by method), requests rejected before reaching a method (by reason).
/// </summary>
public sealed class GrpcMetrics
{
    public const string MeterName = "CallTracking.Grpc";

    private readonly Counter<long> _started;
    private readonly Counter<long> _completed;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _received;
    private readonly Counter<long> _rejected;

    public GrpcMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _started = meter.CreateCounter<long>("grpc.server.calls.started", "{call}", "Calls that reached a registered method.");
        _completed = meter.CreateCounter<long>("grpc.server.calls.completed", "{call}", "Calls ended, by method and grpc-status.");
        _sent = meter.CreateCounter<long>("grpc.server.messages.sent", "{message}", "Response messages written.");
        _received = meter.CreateCounter<long>("grpc.server.messages.received", "{message}", "Request messages read.");
        _rejected = meter.CreateCounter<long>("grpc.server.requests.rejected", "{request}", "Requests refused before a method ran, by reason.");
    }

    public void CallStarted(string method) => _started.Add(1, new KeyValuePair<string, object?>("method", method));

    public void CallCompleted(string method, StatusCode status) =>
        _completed.Add(1, new KeyValuePair<string, object?>("method", method), new KeyValuePair<string, object?>("status", StatusName(status)));

    public void MessageSent(string method) => _sent.Add(1, new KeyValuePair<string, object?>("method", method));

    public void MessageReceived(string method) => _received.Add(1, new KeyValuePair<string, object?>("method", method));

    public void RequestRejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    // The statuses' names as the gRPC docs spell them, without an allocation per call.
    private static string StatusName(StatusCode status) => status switch
    {
        StatusCode.OK => "OK",
        StatusCode.Cancelled => "CANCELLED",
        StatusCode.Unknown => "UNKNOWN",
        StatusCode.InvalidArgument => "INVALID_ARGUMENT",
        StatusCode.DeadlineExceeded => "DEADLINE_EXCEEDED",
        StatusCode.NotFound => "NOT_FOUND",
        StatusCode.AlreadyExists => "ALREADY_EXISTS",
        StatusCode.PermissionDenied => "PERMISSION_DENIED",
        StatusCode.ResourceExhausted => "RESOURCE_EXHAUSTED",
        StatusCode.FailedPrecondition => "FAILED_PRECONDITION",
        StatusCode.Aborted => "ABORTED",
        StatusCode.OutOfRange => "OUT_OF_RANGE",
        StatusCode.Unimplemented => "UNIMPLEMENTED",
        StatusCode.Internal => "INTERNAL",
        StatusCode.Unavailable => "UNAVAILABLE",
        StatusCode.DataLoss => "DATA_LOSS",
        StatusCode.Unauthenticated => "UNAUTHENTICATED",
        _ => "UNKNOWN",
    };
}
