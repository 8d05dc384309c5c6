using CallTracking.Media.Sessions;

namespace CallTracking.Engine.Transcription;

/// <summary>What call control asks of live transcription (<see cref="LiveTranscriptionService"/>).</summary>
public interface ILiveTranscription
{
    /// <summary>
    /// A tap for the answered call's caller leg (<see cref="IMediaSession.Tap"/>) whose speech becomes
    /// <c>transcript.segment</c> events of <paramref name="callId"/>, timed from now; null when live transcription is
    /// off (or has no model). The call is forgotten once its session completes the tap and the rest is transcribed.
    /// </summary>
    IAudioTap? Begin(Guid callId, Guid organisationId);
}
