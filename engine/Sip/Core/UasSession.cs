using CallTracking.Engine.Calls;
using CallTracking.Engine.Sip.Dialogs;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Sdp;
using CallTracking.Engine.Sip.Transactions;
using CallTracking.Engine.Sip.Transport;
using CallTracking.Media.Sessions;

namespace CallTracking.Engine.Sip.Core;

/// <summary>
/// The SIP side of one inbound call: its dialog, the INVITE transaction in progress, our SDP state and the
/// call-level timers (answer delay, RFC 4028 refresh or expiry). Owned by <see cref="SipCore"/>.
/// Threading: the mutable fields below are read and written under <see cref="Lock"/>; timers and the receive
/// threads both reach a session.
/// </summary>
internal sealed class UasSession : IDisposable
{
    public UasSession(InboundCall call, Dialog dialog, SipMessage invite, SdpSession sdp, SipListener listener, bool peerAllowsUpdate, IMediaSession media)
    {
        Media = media;
        Call = call;
        Dialog = dialog;
        Invite = invite;
        Sdp = sdp;
        Listener = listener;
        PeerAllowsUpdate = peerAllowsUpdate;
    }

    public Lock Lock { get; } = new();

    public InboundCall Call { get; }

    public Dialog Dialog { get; }

    /// <summary>A copy of the initial INVITE: a delayed 200 is built from it after the receive buffer is gone.</summary>
    public SipMessage Invite { get; }

    public SdpSession Sdp { get; }

    /// <summary>The call's RTP: opened before our SDP named its port, started on answer, stopped at the end.</summary>
    public IMediaSession Media { get; }

    /// <summary>What offer/answer agreed for audio; null until an answer to our offer arrives (offer-less INVITE).</summary>
    public SdpNegotiatedAudio? Audio { get; set; }

    /// <summary>The listener the INVITE arrived on: the address our Contact and Via name.</summary>
    public SipListener Listener { get; }

    /// <summary>RFC 4028 §9: refresh with UPDATE when the peer allows it, else with re-INVITE.</summary>
    public bool PeerAllowsUpdate { get; }

    /// <summary>The server INVITE transaction whose 2xx waits for its ACK (initial INVITE or latest re-INVITE).</summary>
    public ServerInviteTransaction? PendingInvite { get; set; }

    /// <summary>Our body of the answer (or offer) in the last 2xx, re-sent unchanged in refreshes.</summary>
    public string? LocalSdp { get; set; }

    /// <summary>An offer-less INVITE got our offer in the 2xx; the answer is due in the ACK (RFC 3264 §4).</summary>
    public bool AwaitingAnswerInAck { get; set; }

    public SessionTimerDecision SessionTimer { get; set; }

    public ITimer? AnswerTimer { get; set; }

    public ITimer? SessionTimerHandle { get; set; }

    /// <summary>Our own re-INVITE in progress: a re-INVITE from the peer meanwhile is glare (RFC 3261 §14.2: 491).</summary>
    public ClientInviteTransaction? OutgoingInvite { get; set; }

    /// <summary>The ACK we sent for the 2xx to our last re-INVITE: re-sent when that 2xx is retransmitted.</summary>
    public ReadOnlyMemory<byte> LastAck { get; set; }

    public SipRemote LastAckDestination { get; set; }

    /// <summary>Call control of this call (routing plan, call record); null without call control.</summary>
    public Calls.Control.IInboundCallControl? Control { get; set; }


    public void Dispose()
    {
        AnswerTimer?.Dispose();
        SessionTimerHandle?.Dispose();
        Invite.Dispose();
    }
}
