using CallTracking.Media.Audio;
using CallTracking.Media.Codecs;

namespace CallTracking.Media.Sessions;

/// <summary>
/// What a leg sends each tick, by priority: a prompt, a relayed key press, the bridged partner's audio, ringback,
/// or nothing. Bridged legs share a worker (<see cref="Workers.MediaEngine.TryOpen(out IMediaSession, IMediaSession?)"/>),
/// so everything here — including the partner's fields — is touched by that worker's thread only.
/// </summary>
public sealed partial class MediaSession
{
    // Worker thread only. Both legs of a bridge point at each other; the partner is on the same worker.
    private MediaSession? _peer;
    private bool _finished;
    private bool _ringback;
    private RingbackTone _ringbackTone;

    // Whether the previous tick put a packet on the wire: the first one after a pause (silence, hold) starts a
    // talkspurt and carries the marker (RFC 3551 §4.1).
    private bool _sentPreviousTick;
    private bool _sentThisTick;

    /// <summary>False while the agreement says we must not send (hold): nothing leaves, the bridge stays.</summary>
    private bool MaySend => _options is { Remote: not null, Send: true };

    private void BridgeTo(MediaSession peer)
    {
        if (ReferenceEquals(_peer, peer))
        {
            return;
        }

        LeaveBridge();
        if (peer._finished)
        {
            return;
        }

        peer.LeaveBridge();
        _peer = peer;
        peer._peer = this;
        _ringback = false;
        peer._ringback = false;
    }

    private void LeaveBridge()
    {
        if (_peer is null)
        {
            return;
        }

        if (ReferenceEquals(_peer._peer, this))
        {
            _peer._peer = null;
        }

        _peer = null;
    }

    private void StartRingback()
    {
        _ringback = true;
        _ringbackTone.Restart();
    }

    /// <summary>Fills <see cref="_otherPcm"/> with what this leg says this tick (the recording's right channel) and sends it.</summary>
    private void ProduceOutbound()
    {
        var codec = _options!.Codec;
        if (_prompt is not null)
        {
            var samples = _prompt.Samples.Span;
            var take = Math.Min(FrameSamples, samples.Length - _promptOffset);
            samples.Slice(_promptOffset, take).CopyTo(_otherPcm);
            _otherPcm.AsSpan(take).Clear();
            _promptOffset += take;
            SendAudio(codec, _otherPcm);
            if (_promptOffset >= samples.Length)
            {
                _prompt = null;
            }

            return;
        }

        if (RelayDigit(codec))
        {
            return;
        }

        if (_peer is not null)
        {
            // The partner's 20 ms of this tick (its TickReceive ran before any TickSend): silence until it runs.
            if (_peer._running)
            {
                _peer._callerPcm.CopyTo(_otherPcm);
            }
            else
            {
                Array.Clear(_otherPcm);
            }

            SendAudio(codec, _otherPcm);
            return;
        }

        if (_ringback)
        {
            _ringbackTone.Fill(_otherPcm);
            SendAudio(codec, _otherPcm);
            return;
        }

        Array.Clear(_otherPcm);
    }
}
