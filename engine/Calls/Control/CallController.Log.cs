using CallTracking.Engine.Configuration;
using CallTracking.Engine.Sip.Sdp;
using CallTracking.Engine.Storage;

namespace CallTracking.Engine.Calls.Control;

public sealed partial class CallController
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Call {CallId}: call control failed in a timer")]
    private partial void LogTimerFailed(Exception exception, string callId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: forwarding to {Count} destinations ({Mode})")]
    private partial void LogForwarding(string callId, int count, ForwardMode mode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: dialling {Destination} through trunk {Trunk}")]
    private partial void LogDialing(string callId, string destination, string trunk);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: destination {Destination} failed: {Status} {Reason}")]
    private partial void LogTargetFailed(string callId, string destination, int status, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: {Destination} answered")]
    private partial void LogAnswered(string callId, string destination);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: {Destination} answered without a usable SDP answer; no audio from it")]
    private partial void LogNoAnswerSdp(string callId, string destination);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: bridged with {Destination}")]
    private partial void LogBridged(string callId, string destination);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: nobody answered; voicemail for up to {Seconds:F0} s")]
    private partial void LogVoicemail(string callId, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: maximum call length of {Minutes:F0} min reached; hanging up")]
    private partial void LogMaxDuration(string callId, double minutes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: no RTP from {Destination}; hanging up both legs")]
    private partial void LogLegNoMedia(string callId, string destination);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: relaying the caller's hold/resume to the destination ({Direction})")]
    private partial void LogRelayHold(string callId, SdpDirection direction);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: {Destination} changed its direction to {Direction} (hold or resume)")]
    private partial void LogDestinationHold(string callId, string destination, SdpDirection direction);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} ended: {Disposition}, hung up by {HangupBy} ({Reason})")]
    private partial void LogEnded(string callId, CallDisposition disposition, HangupParty hangupBy, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: recording paused {Paused} by {Actor}")]
    private partial void LogRecordingPaused(string callId, bool paused, string actor);

    [LoggerMessage(Level = LogLevel.Error, Message = "Call {CallId}: the audit entry of a recording pause or resume could not be written")]
    private partial void LogRecordingPauseFailed(Exception exception, string callId);
}
