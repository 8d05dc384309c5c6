using System.Net.Sockets;
using CallTracking.Media.Audio;
using CallTracking.Media.Codecs;
using CallTracking.Media.Rtp;

namespace CallTracking.Media.Sessions;

/// <summary>
/// Key presses of the bridged partner, sent on to our peer: RFC 4733 events with our negotiated payload type, or
/// the dual tone in-band (100 ms, then 60 ms of silence) when our peer negotiated no telephone-event. Worker thread only.
/// </summary>
public sealed partial class MediaSession
{
    private const int RelayQueueCapacity = 16;
    private const int ToneTicks = 5;
    private const int PauseTicks = 3;
    private static readonly TimeSpan MinRelayDuration = TimeSpan.FromMilliseconds(40);
    private static readonly TimeSpan MaxRelayDuration = TimeSpan.FromSeconds(10);

    // RFC 4733 §2.5.1.2: updates at the packet interval, which is our 20 ms tick.
    private readonly DtmfSender _dtmfSender = new(SampleRate, TimeSpan.FromMilliseconds(20));
    private readonly DtmfEvent[] _relayQueue = new DtmfEvent[RelayQueueCapacity];
    private int _relayHead;
    private int _relayCount;
    private RelayState _relayState;
    private DtmfPacketSequence _relayPackets;
    private bool _relayHasPacket;
    private long _relayElapsed;
    private DtmfTone _dtmfTone;
    private int _relayTicksLeft;

    private enum RelayState : byte
    {
        None,
        Events,
        Tone,
        Pause,
    }

    /// <summary>Called by the bridged partner (same worker thread) when its peer pressed a key.</summary>
    private void QueueRelayedDigit(in DtmfEvent detected)
    {
        if (_finished || _relayCount == RelayQueueCapacity)
        {
            _dependencies.Metrics.RelayDropped();
            return;
        }

        _relayQueue[(_relayHead + _relayCount) % RelayQueueCapacity] = detected;
        _relayCount++;
    }

    /// <summary>True when this tick belongs to a relayed key press (and <see cref="_otherPcm"/> says what we sent).</summary>
    private bool RelayDigit(AudioCodec codec)
    {
        if (_relayState == RelayState.None && !StartRelay())
        {
            return false;
        }

        switch (_relayState)
        {
            case RelayState.Events:
                // The events replace the audio (RFC 4733 §2.5.1.1 leaves it to the sender; carriers expect no tone).
                Array.Clear(_otherPcm);
                if (_relayHasPacket && _relayPackets.Current.SendAt <= _relayElapsed)
                {
                    SendEvent(_relayPackets.Current);
                    _relayHasPacket = _relayPackets.MoveNext();
                }

                _relayElapsed += FrameSamples;
                if (!_relayHasPacket)
                {
                    _relayState = RelayState.None;
                }

                return true;
            case RelayState.Tone:
                _dtmfTone.Fill(_otherPcm);
                SendAudio(codec, _otherPcm);
                if (--_relayTicksLeft == 0)
                {
                    _relayState = RelayState.Pause;
                    _relayTicksLeft = PauseTicks;
                }

                return true;
            default:
                // Q.24: a pause between digits, so the same key twice is heard as two presses.
                Array.Clear(_otherPcm);
                SendAudio(codec, _otherPcm);
                if (--_relayTicksLeft == 0)
                {
                    _relayState = RelayState.None;
                }

                return true;
        }
    }

    private bool StartRelay()
    {
        while (_relayCount > 0)
        {
            var next = _relayQueue[_relayHead];
            _relayHead = (_relayHead + 1) % RelayQueueCapacity;
            _relayCount--;
            if (_options!.TelephoneEventPayloadType is not null && DtmfDigit.TryToEvent(next.Digit, out _))
            {
                var duration = next.Duration < MinRelayDuration ? MinRelayDuration : next.Duration > MaxRelayDuration ? MaxRelayDuration : next.Duration;
                _relayPackets = _dtmfSender.Packets(next.Digit, _sendTimestamp, duration);
                _relayHasPacket = _relayPackets.MoveNext();
                _relayElapsed = 0;
                _relayState = RelayState.Events;
                return true;
            }

            if (_options.TelephoneEventPayloadType is null && _dtmfTone.Start(next.Digit))
            {
                _relayTicksLeft = ToneTicks;
                _relayState = RelayState.Tone;
                return true;
            }
        }

        return false;
    }

    /// <summary>One telephone-event packet in our stream (our SSRC and sequence; the timestamp is the event's start).</summary>
    private void SendEvent(in DtmfPacket packet)
    {
        if (_remoteRtp is null || !MaySend)
        {
            return;
        }

        _sendSequence++;
        Span<byte> payload = stackalloc byte[TelephoneEvent.Size];
        packet.Event.Write(payload);
        var header = new RtpHeader((byte)_options!.TelephoneEventPayloadType!.Value, _sendSequence, packet.Timestamp, _ssrc) { Marker = packet.Marker };
        var length = RtpWriter.Write(_sendBuffer, header, payload);
        try
        {
            Sockets.Rtp.SendTo(_sendBuffer.AsSpan(0, length), SocketFlags.None, _remoteRtp);
            _sentThisTick = true;
            _sendStatistics.PacketSent(_sendTimestamp, TelephoneEvent.Size, Elapsed(_dependencies.Time.GetTimestamp()));
        }
        catch (SocketException)
        {
            _dependencies.Metrics.SendFailed();
        }
    }
}
