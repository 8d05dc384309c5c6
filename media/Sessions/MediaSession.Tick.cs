using System.Buffers;
using System.Net;
using System.Net.Sockets;
using CallTracking.Media.Codecs;
using CallTracking.Media.Jitter;
using CallTracking.Media.Recording;
using CallTracking.Media.Rtp;

namespace CallTracking.Media.Sessions;

/// <summary>The worker side of a session: everything here runs on the owning worker's thread, once per tick.</summary>
public sealed partial class MediaSession
{
    // 20 ms of 8 kHz audio: the frame every G.711 leg and the recorder work in.
    internal const int FrameSamples = 160;
    internal const int SampleRate = 8000;

    // RTP over UDP on an Ethernet path; anything larger is not audio we can use and is counted as malformed.
    private const int MaxDatagram = DatagramReceiver.MaxDatagram;

    // RFC 3550 §6.2: a report every 5 s is the minimum interval for a session of two.
    private static readonly TimeSpan RtcpInterval = TimeSpan.FromSeconds(5);

    private DatagramReceiver _rtpReceiver = null!;
    private DatagramReceiver _rtcpReceiver = null!;
    private byte[] _frame = null!;
    private byte[] _sendBuffer = null!;
    private short[] _callerPcm = null!;
    private short[] _otherPcm = null!;
    private SocketAddress _from = null!;
    private SocketAddress? _remoteRtp;
    private SocketAddress? _remoteRtcp;
    private MediaLegOptions? _options;
    private JitterBuffer _jitter = null!;
    private RtpReceiveStatistics _statistics = null!;
    private RtpSendStatistics _sendStatistics = null!;
    private DtmfDetector _dtmf = null!;
    private long _epoch;
    private uint _lastAudioTimestamp;
    private bool _audioSeen;
    private PromptAudio? _prompt;
    private int _promptOffset;
    private ushort _sendSequence;
    private uint _sendTimestamp;
    private uint _ssrc;
    private long _lastMediaTimestamp;
    private long _lastRtcpTimestamp;
    private bool _inactiveReported;
    private bool _running;
    private bool _latched;
    private int _concealed;

    // Packets carry 10-60 ms (the SDP's ptime, or whatever the sender really does); the worker and the recorder
    // work in 20 ms. Decoded audio waits here until a tick takes it.
    private const int MaxPacketSamples = 480;
    private short[] _fifo = null!;
    private int _fifoCount;
    private short[] _lastPacketPcm = null!;
    private int _packetSamples;
    private long _dtmfEvents;
    private long _malformed;

    private void InitialiseWorkerState()
    {
        _rtpReceiver = new DatagramReceiver(Sockets.Rtp);
        _rtcpReceiver = new DatagramReceiver(Sockets.Rtcp, capacity: 2);
        _frame = new byte[MaxDatagram];
        _sendBuffer = new byte[MaxDatagram];
        _callerPcm = new short[FrameSamples];
        _fifo = new short[MaxPacketSamples + FrameSamples];
        _lastPacketPcm = new short[MaxPacketSamples];
        _otherPcm = new short[FrameSamples];
        _from = new SocketAddress(Sockets.Rtp.AddressFamily);
        _jitter = new JitterBuffer(new JitterBufferOptions(), _dependencies.Time);
        _dtmf = new DtmfDetector();
        _epoch = _dependencies.Time.GetTimestamp();
        Span<byte> random = stackalloc byte[12];
        System.Security.Cryptography.RandomNumberGenerator.Fill(random);

        // RFC 3550 §5.1: random initial sequence number, timestamp and SSRC.
        _ssrc = BitConverter.ToUInt32(random);
        _sendSequence = BitConverter.ToUInt16(random[4..]);
        _sendTimestamp = BitConverter.ToUInt32(random[6..]);
        _recordingSerial = BitConverter.ToUInt32(random[8..]);
        _statistics = new RtpReceiveStatistics(0);
        _sendStatistics = new RtpSendStatistics(_ssrc, SampleRate);
        _cname = System.Text.Encoding.ASCII.GetBytes($"calltracking-{_ssrc:x8}@{Sockets.Address}");
    }

    /// <summary>One whole 20 ms step (<see cref="TickReceive"/> then <see cref="TickSend"/>). Returns false once the
    /// session has stopped and can be forgotten.</summary>
    internal bool Tick(long now)
    {
        if (!TickReceive(now))
        {
            return false;
        }

        TickSend(now);
        return true;
    }

    /// <summary>
    /// First half of a step: apply commands, drain the sockets, take the peer's 20 ms out of the jitter buffer into
    /// <see cref="_callerPcm"/> (which a bridged partner sends in its <see cref="TickSend"/> of the same tick).
    /// Returns false once the session has stopped and can be forgotten.
    /// </summary>
    internal bool TickReceive(long now)
    {
        while (_commands.TryDequeue(out var command))
        {
            if (!Apply(command, now))
            {
                return false;
            }
        }

        if (!_running)
        {
            return true;
        }

        ReceiveRtp(now);
        DrainRtcp();
        ProduceInbound();
        return true;
    }

    /// <summary>Second half of a step: what we send this 20 ms (prompt, relayed key press, bridged audio, ringback),
    /// the recording of both directions (what we sent at this tick; the peer's audio by its timestamps, see
    /// <see cref="RecordingTimeline"/>), RTCP, inactivity.</summary>
    internal void TickSend(long now)
    {
        if (!_running)
        {
            return;
        }

        // RFC 3550 §5.1: the timestamp follows the sampling clock, also across ticks where nothing is sent, so a
        // talkspurt after silence says how long the silence was.
        _sendTimestamp += FrameSamples;
        _sentPreviousTick = _sentThisTick;
        _sentThisTick = false;
        ProduceOutbound();
        _timeline?.Tick(_otherPcm, _recordingPaused);
        WriteTap();

        SendRtcpIfDue(now);
        CheckInactivity(now);
    }

    private bool Apply(Command command, long now)
    {
        switch (command.Kind)
        {
            case CommandKind.Start:
                _options = (MediaLegOptions)command.Argument!;
                _remoteRtp = _options.Remote is null ? null : _options.Remote.Serialize();
                _remoteRtcp = _options.Remote is null ? null : new IPEndPoint(_options.Remote.Address, _options.Remote.Port + 1).Serialize();
                _lastMediaTimestamp = now;
                _lastRtcpTimestamp = now;
                _running = true;
                if (command.Path is not null)
                {
                    OpenRecording(command.Path);
                }

                break;
            case CommandKind.Update:
                var previous = _options;
                _options = (MediaLegOptions)command.Argument!;
                if (_options.Remote is not null && (previous?.Remote is null || !_options.Remote.Equals(previous.Remote)))
                {
                    // The peer moved (a carrier switching media servers on re-INVITE): latch again.
                    _remoteRtp = _options.Remote.Serialize();
                    _remoteRtcp = new IPEndPoint(_options.Remote.Address, _options.Remote.Port + 1).Serialize();
                    _latched = false;
                }

                _lastMediaTimestamp = now;
                _inactiveReported = false;
                break;
            case CommandKind.Play:
                _prompt = (PromptAudio)command.Argument!;
                _promptOffset = 0;
                break;
            case CommandKind.PauseRecording:
                // From this tick's frame on; the timeline applies it when that frame is committed.
                _recordingPaused = true;
                break;
            case CommandKind.ResumeRecording:
                _recordingPaused = false;
                break;
            case CommandKind.Bridge:
                BridgeTo((MediaSession)command.Argument!);
                break;
            case CommandKind.Unbridge:
                LeaveBridge();
                break;
            case CommandKind.RingbackOn:
                StartRingback();
                break;
            case CommandKind.RingbackOff:
                _ringback = false;
                break;
            case CommandKind.Tap:
                _tap = (IAudioTap)command.Argument!;
                break;
            case CommandKind.Stop:
                Finish();
                return false;
        }

        return true;
    }

    private void ReceiveRtp(long now)
    {
        // One recvmmsg a tick takes what arrived since the last (usually one packet) and says when the socket is
        // empty; ICMP errors from earlier sends end this drain and the next tick continues.
        var receiver = _rtpReceiver;
        int count;
        do
        {
            count = receiver.Receive();
            for (int i = 0; i < count; i++)
            {
                if (receiver.IsTruncated(i))
                {
                    _malformed++;
                    _dependencies.Metrics.Malformed();
                    continue;
                }

                receiver.CopySource(i, _from);
                if (AcceptSource(now))
                {
                    ReceiveRtpPacket(receiver.Datagram(i), now);
                }
            }
        }
        while (count == receiver.Capacity);
    }

    private void ReceiveRtpPacket(ReadOnlySpan<byte> datagram, long now)
    {
        if (!RtpPacket.TryParse(datagram, out var packet))
        {
            _malformed++;
            _dependencies.Metrics.Malformed();
            return;
        }

        _lastMediaTimestamp = now;
        var options = _options!;
        if (options.TelephoneEventPayloadType == packet.PayloadType)
        {
            if (TelephoneEvent.TryParse(packet.Payload, out var telephoneEvent)
                && _dtmf.TryAccept(packet.Timestamp, packet.Marker, telephoneEvent, out var detected))
            {
                ReportDtmf(detected);
            }

            return;
        }

        if (packet.PayloadType != options.PayloadType)
        {
            // Comfort noise (13) and anything not agreed: not ours to play.
            return;
        }

        if (packet.Ssrc != _statistics.Ssrc)
        {
            // A new stream (carriers switch on re-INVITE): statistics start over; the jitter buffer resets itself.
            _statistics.Reset(packet.Ssrc);
        }

        // G.711 carries one byte per sample, so the payload says how long the packet is. Size the jitter buffer
        // for what arrives, not for what the SDP promised: senders with 30 ms packets and no ptime are common.
        if (packet.Payload.Length != _packetSamples && !Repacketise(packet.Payload.Length))
        {
            _malformed++;
            _dependencies.Metrics.Malformed();
            return;
        }

        _lastAudioTimestamp = packet.Timestamp;
        _audioSeen = true;
        _statistics.Receive(packet.SequenceNumber, packet.Timestamp, packet.Payload.Length, SampleRate, Elapsed(now));
        // The recording places the packet by its timestamp (sample-exact whatever the arrival jitter); playout
        // goes through the adaptive jitter buffer.
        _timeline?.Receive(options.Codec, packet.Ssrc, packet.Timestamp, packet.Payload);
        var result = _jitter.Insert(packet.SequenceNumber, packet.Timestamp, packet.Ssrc, packet.Marker, packet.Payload, now);
        if (result == InsertResult.Late)
        {
            _statistics.MarkLate();
        }
    }

    /// <summary>
    /// Symmetric RTP (RFC 4961): latch on the first packet from the address the SDP named, or from anywhere when
    /// the trunk is NATed; afterwards only that source is heard and answered.
    /// </summary>
    private bool AcceptSource(long now)
    {
        if (_latched)
        {
            if (_from.Equals(_remoteRtp))
            {
                return true;
            }

            _dependencies.Metrics.Stranger();
            return false;
        }

        var options = _options!;
        var source = (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(_from);
        if (!options.LatchAnySource && (options.Remote is null || !Same(options.Remote.Address, source.Address)))
        {
            _dependencies.Metrics.Stranger();
            return false;
        }

        _remoteRtp = new SocketAddress(_from.Family, _from.Size);
        _from.Buffer.Span.CopyTo(_remoteRtp.Buffer.Span);
        _remoteRtcp = new IPEndPoint(source.Address, source.Port + 1).Serialize();
        _latched = true;
        _lastMediaTimestamp = now;
        return true;
    }

    private static bool Same(IPAddress a, IPAddress b)
    {
        if (a.IsIPv4MappedToIPv6)
        {
            a = a.MapToIPv4();
        }

        if (b.IsIPv4MappedToIPv6)
        {
            b = b.MapToIPv4();
        }

        return a.Equals(b);
    }

    /// <summary>A packet duration of 10-60 ms in whole 10 ms steps gets a jitter buffer of its own size.</summary>
    private bool Repacketise(int samples)
    {
        if (samples < 80 || samples > MaxPacketSamples || samples % 80 != 0)
        {
            return false;
        }

        var frame = TimeSpan.FromMilliseconds(samples / 8.0);
        _jitter = new JitterBuffer(
            new JitterBufferOptions
            {
                FrameDuration = frame,
                MinDepth = frame > TimeSpan.FromMilliseconds(20) ? frame : TimeSpan.FromMilliseconds(20),
                InitialDepth = frame * 2 > TimeSpan.FromMilliseconds(40) ? frame * 2 : TimeSpan.FromMilliseconds(40),
            },
            _dependencies.Time);
        _packetSamples = samples;
        _fifoCount = 0;
        return true;
    }

    /// <summary>The peer's 20 ms: decoded from the jitter buffer, concealed when a packet is missing, silence
    /// before the stream starts.</summary>
    private void ProduceInbound()
    {
        var codec = _options!.Codec;
        while (_fifoCount < FrameSamples && _packetSamples > 0)
        {
            var popped = _jitter.Pop(_frame, out var length, out _);
            var packet = _fifo.AsSpan(_fifoCount, _packetSamples);
            if (popped == PopResult.Frame && length == _packetSamples)
            {
                Decode(codec, _frame.AsSpan(0, length), packet);
                packet.CopyTo(_lastPacketPcm);
                _concealed = 0;
            }
            else if (popped is PopResult.Frame or PopResult.Missing)
            {
                // G.711 concealment: the last packet again at half level once, then silence.
                _concealed++;
                for (var i = 0; i < packet.Length; i++)
                {
                    packet[i] = _concealed == 1 ? (short)(_lastPacketPcm[i] / 2) : (short)0;
                }
            }
            else
            {
                // Buffering (start, or refilling after a reset): silence for the rest of this tick.
                _fifo.AsSpan(_fifoCount, FrameSamples - _fifoCount).Clear();
                _fifoCount = FrameSamples;
                break;
            }

            _fifoCount += _packetSamples;
        }

        if (_fifoCount >= FrameSamples)
        {
            _fifo.AsSpan(0, FrameSamples).CopyTo(_callerPcm);
            _fifo.AsSpan(FrameSamples, _fifoCount - FrameSamples).CopyTo(_fifo);
            _fifoCount -= FrameSamples;
        }
        else
        {
            Array.Clear(_callerPcm);
        }
    }

    private static void Decode(AudioCodec codec, ReadOnlySpan<byte> encoded, Span<short> pcm)
    {
        if (codec == AudioCodec.Pcma)
        {
            G711.ALawDecode(encoded, pcm);
        }
        else
        {
            G711.MuLawDecode(encoded, pcm);
        }
    }

    /// <summary>One RTP packet of 20 ms to the latched (or SDP-named) address; RFC 3551 §4.1 marker on a talkspurt's
    /// first packet (nothing went out the tick before). Nothing while the leg may not send (hold), and then the
    /// sequence does not move either.</summary>
    private void SendAudio(AudioCodec codec, ReadOnlySpan<short> pcm)
    {
        if (_remoteRtp is null || !MaySend)
        {
            return;
        }

        _sendSequence++;
        Span<byte> payload = stackalloc byte[FrameSamples];
        if (codec == AudioCodec.Pcma)
        {
            G711.ALawEncode(pcm, payload);
        }
        else
        {
            G711.MuLawEncode(pcm, payload);
        }

        var header = new RtpHeader((byte)_options!.PayloadType, _sendSequence, _sendTimestamp, _ssrc) { Marker = !_sentPreviousTick };
        var length = RtpWriter.Write(_sendBuffer, header, payload);
        _sentThisTick = true;
        try
        {
            Sockets.Rtp.SendTo(_sendBuffer.AsSpan(0, length), SocketFlags.None, _remoteRtp);
            _sendStatistics.PacketSent(_sendTimestamp, FrameSamples, Elapsed(_dependencies.Time.GetTimestamp()));
        }
        catch (SocketException)
        {
            _dependencies.Metrics.SendFailed();
        }
    }

    private void ReportDtmf(in DtmfEvent detected)
    {
        _dtmfEvents++;
        _peer?.QueueRelayedDigit(detected);
        if (!_events.TryWrite(new MediaEvent(Id, MediaEventKind.Dtmf, detected.Digit, detected.Duration)))
        {
            _dependencies.Metrics.EventDropped();
        }
    }

    private void CheckInactivity(long now)
    {
        if (_inactiveReported || _options!.InactivityTimeout == Timeout.InfiniteTimeSpan)
        {
            return;
        }

        // A key press whose end packets were all lost ends when the audio clock has moved on past it.
        if (_audioSeen && _dtmf.InProgress && _dtmf.TryFlush(_lastAudioTimestamp, out var pending))
        {
            ReportDtmf(pending);
        }

        if (_dependencies.Time.GetElapsedTime(_lastMediaTimestamp, now) < _options.InactivityTimeout)
        {
            return;
        }

        _inactiveReported = true;
        if (!_events.TryWrite(new MediaEvent(Id, MediaEventKind.Inactive)))
        {
            _dependencies.Metrics.EventDropped();
        }
    }

    private TimeSpan Elapsed(long now) => _dependencies.Time.GetElapsedTime(_epoch, now);
}
