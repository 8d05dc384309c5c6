using CallTracking.Engine.Calls;
using CallTracking.Engine.Calls.Control;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Sdp;
using CallTracking.Engine.Sip.Transport;
using CallTracking.Media.Sessions;

namespace CallTracking.Engine.Sip.Core;

public sealed partial class SipCore
{
    // Set once by the composition root before the transports start; read on the receive threads.
    private CallControl? _callControl;

    /// <summary>
    /// Hands every new inbound call to call control (routing plans, forwarding, the call record), and routes by its
    /// directory (numbers provisioned in the database too). Without it every call is answered and recorded only.
    /// </summary>
    public void AttachCallControl(CallControl control)
    {
        ArgumentNullException.ThrowIfNull(control);
        Volatile.Write(ref _callControl, control);
    }

    /// <summary>The number the INVITE is for: from call control's directory when attached, else the configuration.</summary>
    private bool TryFindRoute(SipMessage request, out Tracking.TrackingNumber number, out RouteEntry? route)
    {
        route = null;
        if (Volatile.Read(ref _callControl) is { } control && SipUri.TryParse(request.RequestUri, out var uri)
            && control.Directory.TryFind(uri.User, out var found))
        {
            route = found;
            number = found.Number;
            return true;
        }

        return TryFindNumber(request, out number);
    }

    private void BeginControl(UasSession session, RouteEntry? route, SipListener listener)
    {
        if (Volatile.Read(ref _callControl) is not { } control)
        {
            return;
        }

        route ??= new RouteEntry(session.Call.Number, session.Call.Number.Plan);
        session.Control = control.Begin(new InboundLegHandle(this, session, MediaAddress(listener)), route);
    }

    private void OtherMediaEvent(MediaEvent mediaEvent) => Volatile.Read(ref _callControl)?.OnMediaEvent(mediaEvent);

    /// <summary>The caller's leg as call control sees it.</summary>
    private sealed class InboundLegHandle : IInboundLeg
    {
        private readonly SipCore _core;
        private readonly UasSession _session;

        public InboundLegHandle(SipCore core, UasSession session, string mediaAddress)
        {
            _core = core;
            _session = session;
            MediaAddress = mediaAddress;
        }

        public InboundCall Call => _session.Call;

        public IMediaSession Media => _session.Media;

        public string MediaAddress { get; }

        public SdpNegotiatedAudio? Audio => _session.Audio;

        public MediaLegOptions OptionsFor(SdpNegotiatedAudio audio) => _core.LegOptions(audio);

        public void Hangup() => _core.EndSession(_session, CallEndReason.EngineHungUp, sendBye: true);
    }
}
