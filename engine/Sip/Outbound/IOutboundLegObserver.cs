namespace CallTracking.Engine.Sip.Outbound;

/// <summary>
/// What an outbound leg reports. Calls come from the SIP receive thread or a timer thread, never under the leg's
/// lock, so the observer may call back into the leg. Implementations must not throw and should not block.
/// Exactly one of <see cref="OnAnswered"/> and <see cref="OnFailed"/> is reported per leg; <see cref="OnEnded"/>
/// only after <see cref="OnAnswered"/>.
/// </summary>
public interface IOutboundLegObserver
{
    /// <summary>A 1xx other than 100: ringback (empty <paramref name="sdp"/>) or early media (an SDP answer).</summary>
    void OnProvisional(OutboundLeg leg, int statusCode, string reason, ReadOnlyMemory<byte> sdp);

    /// <summary>2xx: the leg is answered and ACKed; <paramref name="sdp"/> is the answer to our offer.</summary>
    void OnAnswered(OutboundLeg leg, ReadOnlyMemory<byte> sdp);

    /// <summary>No answer: the final status of the last target tried (408 for no answer in the ring time or no
    /// response, 487 after <see cref="OutboundLeg.Cancel"/>, 503 when nothing could be reached).</summary>
    void OnFailed(OutboundLeg leg, int statusCode, string reason);

    /// <summary>The answered leg ended: by the remote's BYE, or once our BYE (<see cref="OutboundLeg.Hangup"/>) is
    /// answered or timed out.</summary>
    void OnEnded(OutboundLeg leg, bool byRemote);

    /// <summary>
    /// The remote sent a re-INVITE (hold, resume). Return the SDP to answer with, or null for the default: the SDP
    /// we last sent with its direction mirrored to the offer's (sendonly → recvonly, inactive → inactive).
    /// The call-control layer relays the offer to the other leg and returns that leg's answer.
    /// </summary>
    ReadOnlyMemory<byte>? OnReinvite(OutboundLeg leg, ReadOnlyMemory<byte> offer);

    /// <summary>The final response to <see cref="OutboundLeg.Reinvite"/>: 2xx with the answer, else the error and
    /// an empty body (the session is unchanged, RFC 3261 §14.1).</summary>
    void OnReinviteAnswered(OutboundLeg leg, int statusCode, ReadOnlyMemory<byte> sdp);
}
