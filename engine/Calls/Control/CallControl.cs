using System.Collections.Concurrent;
using CallTracking.Engine.Privacy;
using CallTracking.Engine.Sip.Outbound;
using CallTracking.Engine.Storage;
using CallTracking.Media.Sessions;

namespace CallTracking.Engine.Calls.Control;

/// <summary>
/// The B2BUA's call control: one <see cref="CallController"/> per inbound call runs the number's routing plan
/// (notice, forward, whisper, bridge, voicemail) and writes the call record. Shared, thread-safe; nothing here
/// blocks a SIP thread (timers come from <see cref="TimeProvider"/>, record writes are queued).
/// </summary>
public sealed class CallControl : IRecordingPauseControl
{
    private readonly ConcurrentDictionary<long, CallController.Destination> _legsByMedia = new();

    // Live calls by their record id (calls.id), for pausing a recording by API; removed when the call's end is written.
    private readonly ConcurrentDictionary<Guid, CallController> _live = new();

    /// <param name="dialer">Places the outbound legs; null when no trunk has an Outbound section (forwarding fails).</param>
    /// <param name="trunks">The outbound trunks by configured trunk name.</param>
    /// <param name="writer">The call record; null without a database.</param>
    public CallControl(
        RoutingDirectory directory,
        OutboundDialer? dialer,
        IReadOnlyDictionary<string, OutboundTrunk> trunks,
        CallRecordWriter? writer,
        IMediaSessionFactory media,
        TimeProvider time,
        ILogger<CallControl> logger,
        PrivacyOptions? privacy = null,
        IAuditSink? audit = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(trunks);
        ArgumentNullException.ThrowIfNull(media);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        Directory = directory;
        Dialer = dialer;
        Trunks = trunks;
        Writer = writer;
        Media = media;
        Time = time;
        Logger = logger;
        Privacy = privacy ?? new PrivacyOptions();
        Audit = audit;
    }

    internal PrivacyOptions Privacy { get; }

    internal IAuditSink? Audit { get; }

    public RoutingDirectory Directory { get; }

    /// <summary>Live transcription of answered calls (<c>Transcription:Live</c>); null: off.</summary>
    public Transcription.ILiveTranscription? Live { get; init; }

    internal OutboundDialer? Dialer { get; }

    internal IReadOnlyDictionary<string, OutboundTrunk> Trunks { get; }

    internal CallRecordWriter? Writer { get; }

    internal IMediaSessionFactory Media { get; }

    internal TimeProvider Time { get; }

    internal ILogger Logger { get; }

    /// <summary>Takes over a new inbound call (before it is answered) and returns what the SIP core reports to.</summary>
    public IInboundCallControl Begin(IInboundLeg inbound, RouteEntry route)
    {
        ArgumentNullException.ThrowIfNull(inbound);
        ArgumentNullException.ThrowIfNull(route);
        var controller = new CallController(this, inbound, route);
        _live[controller.RecordId] = controller;
        controller.Start();
        return controller;
    }

    /// <summary>Events of the outbound legs' media sessions; false when the session is not one of ours.</summary>
    public bool OnMediaEvent(MediaEvent mediaEvent)
    {
        if (!_legsByMedia.TryGetValue(mediaEvent.SessionId, out var destination))
        {
            return false;
        }

        switch (mediaEvent.Kind)
        {
            case MediaEventKind.Inactive:
                destination.Controller.OnLegMediaInactive(destination);
                break;
            case MediaEventKind.Dtmf:
                destination.Controller.OnDtmfKey(mediaEvent.Digit);
                break;
            case MediaEventKind.Stopped:
                _legsByMedia.TryRemove(mediaEvent.SessionId, out _);
                break;
        }

        return true;
    }

    /// <summary>
    /// Pauses (PCI: the recording becomes silence from the next media tick, and the span is kept with the recording)
    /// or resumes the recording of the live call <paramref name="callId"/> (its <c>calls.id</c>). The change is a
    /// <c>recording.paused</c>/<c>recording.resumed</c> event and an audit entry naming <paramref name="actor"/>.
    /// </summary>
    public Task<RecordingPauseResult> SetRecordingPausedAsync(Guid callId, bool paused, string actor, CancellationToken cancellationToken) =>
        _live.TryGetValue(callId, out var controller)
            ? controller.SetRecordingPausedAsync(paused, actor, cancellationToken)
            : Task.FromResult(RecordingPauseResult.NotLive);

    internal void Forget(Guid callId) => _live.TryRemove(callId, out _);

    internal void Track(CallController.Destination destination) => _legsByMedia[destination.Media.Id] = destination;

    /// <summary>Queues a write of the call record (a full queue is counted and logged by the writer).</summary>
    internal void Record(CallRecordOperation operation) => Writer?.Enqueue(operation);
}
