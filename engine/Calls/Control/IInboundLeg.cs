using CallTracking.Engine.Sip.Sdp;
using CallTracking.Media.Sessions;

namespace CallTracking.Engine.Calls.Control;

/// <summary>The caller's leg as call control drives it; implemented by the SIP core for each inbound call.</summary>
public interface IInboundLeg
{
    InboundCall Call { get; }

    /// <summary>The caller's media session (records the call; the outbound legs are colocated with it).</summary>
    IMediaSession Media { get; }

    /// <summary>What offer/answer agreed with the caller; null until agreed.</summary>
    SdpNegotiatedAudio? Audio { get; }

    /// <summary>The address our SDP names for media (an outbound leg's offer uses it too).</summary>
    string MediaAddress { get; }

    /// <summary>Media options for what an SDP exchange agreed, with the engine's latching and inactivity settings.</summary>
    MediaLegOptions OptionsFor(SdpNegotiatedAudio audio);

    /// <summary>Ends the caller's leg from our side: BYE when answered, else a final error response.</summary>
    void Hangup();
}

/// <summary>What the SIP core tells call control about the caller's leg.</summary>
public interface IInboundCallControl
{
    /// <summary>We answered the caller and its media started.</summary>
    void OnInboundAnswered();

    /// <summary>The caller's leg ended (any reason, including our own <see cref="IInboundLeg.Hangup"/>).</summary>
    void OnInboundEnded(CallEndReason reason);

    /// <summary>A DTMF or Stopped event of the caller's media session.</summary>
    void OnInboundMediaEvent(MediaEvent mediaEvent);

    /// <summary>The caller changed the session (re-INVITE or UPDATE): hold, resume, new address.</summary>
    void OnInboundMediaChanged(SdpNegotiatedAudio audio);
}
