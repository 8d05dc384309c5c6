using System.Text;
using CallTracking.Engine.Sip.Outbound;
using CallTracking.Engine.Sip.Sdp;
using CallTracking.Media.Codecs;
using CallTracking.Media.Sessions;

namespace CallTracking.Engine.Calls.Control;

/// <summary>Hold and resume both ways, and the media of the destinations (their SDP answers).</summary>
public sealed partial class CallController
{
    public void OnInboundMediaChanged(SdpNegotiatedAudio audio)
    {
        ArgumentNullException.ThrowIfNull(audio);
        lock (_lock)
        {
            if (_phase != Phase.Bridged || _winner is not { Leg: { } leg } winner)
            {
                return;
            }

            // Hold and resume travel on: what we may do towards the caller is what we offer the destination.
            var direction = audio.Direction switch
            {
                SdpDirection.RecvOnly => SdpDirection.SendOnly,
                SdpDirection.SendOnly => SdpDirection.RecvOnly,
                SdpDirection.Inactive => SdpDirection.Inactive,
                _ => SdpDirection.SendRecv,
            };
            if (direction == winner.Sdp.LocalDirection)
            {
                return;
            }

            winner.Sdp.LocalDirection = direction;
            var offer = new SdpOfferBuilder().Build(_inbound.MediaAddress, winner.Media.RtpPort, winner.Sdp).ToString();
            LogRelayHold(Call.CallId, direction);
            leg.Reinvite(Encoding.ASCII.GetBytes(offer));
        }
    }

    private void OnReinviteAnswered(Destination destination, int statusCode, ReadOnlyMemory<byte> sdp)
    {
        lock (_lock)
        {
            if (statusCode is >= 200 and < 300 && !sdp.IsEmpty && destination == _winner)
            {
                TryUpdateMedia(destination, sdp);
            }
        }
    }

    private bool TryStartMedia(Destination destination, ReadOnlyMemory<byte> sdp)
    {
        if (!TryReadAnswer(sdp, out var audio))
        {
            return false;
        }

        destination.Options = _inbound.OptionsFor(audio);
        destination.Media.Start(destination.Options, recordingPath: null);
        destination.MediaStarted = true;
        return true;
    }

    private bool TryUpdateMedia(Destination destination, ReadOnlyMemory<byte> sdp)
    {
        if (!TryReadAnswer(sdp, out var audio))
        {
            return false;
        }

        destination.Options = _inbound.OptionsFor(audio);
        destination.Media.Update(destination.Options);
        return true;
    }

    private void OnDestinationHold(Destination destination, ReadOnlyMemory<byte> offer)
    {
        var parsed = SessionDescription.Parse(Encoding.ASCII.GetString(offer.Span));
        if (!parsed.Success || parsed.Description!.Media.FirstOrDefault(m => m.Media.Equals("audio", StringComparison.OrdinalIgnoreCase)) is not { } audio)
        {
            return;
        }

        // The offer's direction is the destination's: sendonly (it holds, with music) means we only receive.
        var direction = parsed.Description.EffectiveDirection(audio);
        lock (_lock)
        {
            if (destination.Options is not { } options || !destination.MediaStarted)
            {
                return;
            }

            var current = options with
            {
                Send = direction is SdpDirection.SendRecv or SdpDirection.RecvOnly,
                InactivityTimeout = direction is SdpDirection.SendRecv or SdpDirection.SendOnly ? options.InactivityTimeout : Timeout.InfiniteTimeSpan,
            };
            LogDestinationHold(Call.CallId, destination.Target.To, direction);
            destination.Media.Update(current);
        }
    }

    private static bool TryReadAnswer(ReadOnlyMemory<byte> sdp, out SdpNegotiatedAudio audio)
    {
        var parsed = SessionDescription.Parse(Encoding.ASCII.GetString(sdp.Span));
        if (parsed.Success && SdpAnswerReader.TryRead(parsed.Description!, out audio))
        {
            return true;
        }

        audio = null!;
        return false;
    }
}
