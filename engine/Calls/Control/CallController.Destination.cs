using CallTracking.Engine.Configuration;
using CallTracking.Engine.Sip.Outbound;
using CallTracking.Engine.Sip.Sdp;
using CallTracking.Media.Sessions;

namespace CallTracking.Engine.Calls.Control;

public sealed partial class CallController
{
    /// <summary>One destination being dialled: its outbound leg, its media session (beside the caller's), its record id.</summary>
    internal sealed class Destination : IOutboundLegObserver
    {
        public Destination(CallController controller, ForwardTarget target, IMediaSession media, SdpSession sdp)
        {
            Controller = controller;
            Target = target;
            Media = media;
            Sdp = sdp;
        }

        public CallController Controller { get; }

        public ForwardTarget Target { get; }

        public IMediaSession Media { get; }

        public SdpSession Sdp { get; }

        public Guid LegId { get; } = Guid.CreateVersion7();

        /// <summary>Set once dialled (or from its first report, which can come before Dial returns).</summary>
        public OutboundLeg? Leg { get; set; }

        public bool MediaStarted { get; set; }

        /// <summary>Failed, cancelled or refused: nothing more is expected of it (under the controller's lock).</summary>
        public bool Done { get; set; }

        public void OnProvisional(OutboundLeg leg, int statusCode, string reason, ReadOnlyMemory<byte> sdp)
        {
            Leg ??= leg;
            Controller.OnProvisional(this, statusCode, sdp);
        }

        public void OnAnswered(OutboundLeg leg, ReadOnlyMemory<byte> sdp)
        {
            Leg ??= leg;
            Controller.OnAnswered(this, leg, sdp);
        }

        public void OnFailed(OutboundLeg leg, int statusCode, string reason)
        {
            Leg ??= leg;
            Controller.OnFailed(this, statusCode, reason);
        }

        public void OnEnded(OutboundLeg leg, bool byRemote) => Controller.OnEnded(this, byRemote);

        /// <summary>The media options from the destination's answer (kept to follow its hold and resume).</summary>
        public MediaLegOptions? Options { get; set; }

        /// <summary>
        /// The destination holds or resumes: answered with our last SDP, direction mirrored (the dialer's default),
        /// and our leg B follows the direction (no sending while it must not receive; no inactivity check while it
        /// sends nothing). Not relayed to the caller, who simply hears nothing while the business holds.
        /// </summary>
        public ReadOnlyMemory<byte>? OnReinvite(OutboundLeg leg, ReadOnlyMemory<byte> offer)
        {
            Controller.OnDestinationHold(this, offer);
            return null;
        }

        public void OnReinviteAnswered(OutboundLeg leg, int statusCode, ReadOnlyMemory<byte> sdp) => Controller.OnReinviteAnswered(this, statusCode, sdp);
    }
}
