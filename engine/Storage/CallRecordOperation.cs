using System.Text.Json.Nodes;

namespace CallTracking.Engine.Storage;

/// <summary>One write of the call record, queued on <see cref="CallRecordWriter"/>; made by the factory methods.</summary>
public sealed class CallRecordOperation
{
    private readonly Func<CallRecordStore, CancellationToken, Task> _execute;

    private CallRecordOperation(string kind, Guid callId, Func<CallRecordStore, CancellationToken, Task> execute)
    {
        Kind = kind;
        CallId = callId;
        _execute = execute;
    }

    /// <summary>The event it writes (<c>call.started</c>, ...) or what it does (<c>leg.added</c>), for logs.</summary>
    public string Kind { get; }

    public Guid CallId { get; }

    public static CallRecordOperation Start(CallStarted call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return new(CallEventKinds.Started, call.CallId, (store, ct) => store.StartCallAsync(call, ct));
    }

    public static CallRecordOperation Answer(CallAnswered answered)
    {
        ArgumentNullException.ThrowIfNull(answered);
        return new(CallEventKinds.Answered, answered.CallId, (store, ct) => store.MarkAnsweredAsync(answered, ct));
    }

    public static CallRecordOperation End(CallEnded ended)
    {
        ArgumentNullException.ThrowIfNull(ended);
        return new(CallEventKinds.Ended, ended.CallId, (store, ct) => store.EndCallAsync(ended, ct));
    }

    public static CallRecordOperation Recording(RecordingReady recording)
    {
        ArgumentNullException.ThrowIfNull(recording);
        return new(CallEventKinds.RecordingReady, recording.CallId, (store, ct) => store.AddRecordingAsync(recording, ct));
    }

    public static CallRecordOperation AddLeg(CallLegStarted leg)
    {
        ArgumentNullException.ThrowIfNull(leg);
        return new("leg.added", leg.CallId, (store, ct) => store.AddLegAsync(leg, ct));
    }

    public static CallRecordOperation UpdateLeg(CallLegUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return new(update.Bridged ? CallEventKinds.Bridged : "leg.updated", update.CallId, (store, ct) => store.UpdateLegAsync(update, ct));
    }

    /// <summary>An event without state: <see cref="CallEventKinds.Ringing"/>, <see cref="CallEventKinds.Dtmf"/>.</summary>
    public static CallRecordOperation Event(Guid callId, Guid organisationId, string kind, JsonNode? payload)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        return new(kind, callId, (store, ct) => store.AppendEventAsync(callId, organisationId, kind, payload, ct));
    }

    internal Task ExecuteAsync(CallRecordStore store, CancellationToken cancellationToken) => _execute(store, cancellationToken);
}
