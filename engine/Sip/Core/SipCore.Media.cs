using System.Net;
using CallTracking.Engine.Calls;
using CallTracking.Engine.Sip.Sdp;
using CallTracking.Media.Codecs;
using CallTracking.Media.Sessions;
using Microsoft.Extensions.Logging;

namespace CallTracking.Engine.Sip.Core;

public sealed partial class SipCore
{
    /// <summary>Starts receiving, recording and (later) playing for an answered call, as offer/answer agreed.</summary>
    private void StartMedia(UasSession session)
    {
        if (session.Audio is not { } audio)
        {
            return;
        }

        session.Media.Start(LegOptions(audio), RecordingPath(session.Call));
    }

    /// <summary>A re-INVITE or UPDATE changed the agreement: hold, resume, a new address or codec.</summary>
    private void UpdateMedia(UasSession session, SdpNegotiatedAudio audio)
    {
        session.Audio = audio;
        session.Media.Update(LegOptions(audio));
        session.Control?.OnInboundMediaChanged(audio);
    }

    private MediaLegOptions LegOptions(SdpNegotiatedAudio audio)
    {
        var codec = audio.Codec.EncodingName.Equals("PCMA", StringComparison.OrdinalIgnoreCase) ? AudioCodec.Pcma : AudioCodec.Pcmu;
        var holding = audio.RemoteAddress.Equals(IPAddress.Any) || audio.RemoteAddress.Equals(IPAddress.IPv6Any) || audio.RemotePort == 0;

        // While the peer holds the call (it sends nothing: our side is recvonly or inactive with no address), silence
        // is expected and must not end the call.
        var expectsMedia = !holding && audio.Direction is SdpDirection.SendRecv or SdpDirection.RecvOnly;
        return new MediaLegOptions(
            codec,
            audio.Codec.PayloadType,
            audio.TelephoneEventPayloadType,
            holding ? null : new IPEndPoint(audio.RemoteAddress, audio.RemotePort),
            _options.LatchAnySource,
            expectsMedia ? _options.MediaInactivity : Timeout.InfiniteTimeSpan)
        {
            // Our side's direction: recvonly (the peer holds with sendonly) or inactive means we must not send.
            Send = audio.Direction is SdpDirection.SendRecv or SdpDirection.SendOnly,
        };
    }

    /// <summary><c>&lt;recordings&gt;/yyyy/MM/dd/&lt;call-id&gt;.opus</c>, the Call-ID made safe for a file name.</summary>
    private string? RecordingPath(InboundCall call)
    {
        if (_options.RecordingsPath is not { Length: > 0 } root)
        {
            return null;
        }

        var day = call.StartedAt.UtcDateTime;
        return Path.Combine(root, day.ToString("yyyy", System.Globalization.CultureInfo.InvariantCulture), day.ToString("MM", System.Globalization.CultureInfo.InvariantCulture), day.ToString("dd", System.Globalization.CultureInfo.InvariantCulture), SafeFileName(call.CallId) + ".opus");
    }

    internal static string SafeFileName(string callId)
    {
        Span<char> safe = callId.Length <= 256 ? stackalloc char[callId.Length] : new char[callId.Length];
        for (var i = 0; i < callId.Length; i++)
        {
            var c = callId[i];
            safe[i] = char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '@' ? c : '_';
        }

        // A Call-ID of dots only would name the folder itself.
        var name = new string(safe);
        return name.Trim('.').Length == 0 ? "call_" + name.Length : name;
    }

    /// <summary>What the media engine reports: key presses, dead media, and the finished recording.</summary>
    public void OnMediaEvent(MediaEvent mediaEvent)
    {
        if (!_sessionsByMedia.TryGetValue(mediaEvent.SessionId, out var session))
        {
            OtherMediaEvent(mediaEvent);
            return;
        }

        session.Control?.OnInboundMediaEvent(mediaEvent);

        var call = session.Call;
        using var scope = BeginCallScope(call.CallId);
        switch (mediaEvent.Kind)
        {
            case MediaEventKind.Dtmf:
                call.AddDtmf(mediaEvent.Digit);
                LogDtmf(call.CallId, mediaEvent.Digit, mediaEvent.Duration.TotalMilliseconds);
                break;
            case MediaEventKind.Inactive:
                LogNoMedia(call.CallId, _options.MediaInactivity.TotalSeconds);
                EndSession(session, CallEndReason.NoMedia, sendBye: true);
                break;
            case MediaEventKind.Stopped:
                _sessionsByMedia.TryRemove(mediaEvent.SessionId, out _);
                if (mediaEvent.Summary is { } summary)
                {
                    call.CompleteMedia(summary);
                    if (summary.RecordingError is { } error)
                    {
                        LogNotRecorded(call.CallId, error);
                    }

                    if (summary.RecordingPath is not null)
                    {
                        LogRecordingReady(call.CallId, summary.RecordingPath, summary.RecordingDuration.TotalSeconds, summary.RecordingBytes, summary.PacketsReceived, summary.PacketsLost, summary.JitterMilliseconds);
                    }
                }

                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: DTMF {Digit} ({DurationMs:F0} ms)")]
    private partial void LogDtmf(string callId, char digit, double durationMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: no RTP for {Seconds:F0} s; hanging up (Media:InactivitySeconds)")]
    private partial void LogNoMedia(string callId, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Call {CallId} was not recorded: {Reason}. Check free space and permissions under Data:Path (or set Media:Record=false to stop recording).")]
    private partial void LogNotRecorded(string callId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: recording ready at {Path}, {Seconds:F1} s, {Bytes} bytes; RTP {Packets} received, {Lost} lost, jitter {JitterMs:F1} ms")]
    private partial void LogRecordingReady(string callId, string path, double seconds, long bytes, long packets, long lost, double jitterMs);
}
