using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using CallTracking.Media.Codecs;
using CallTracking.Media.Recording;
using CallTracking.Media.Rtp;
using CallTracking.Media.Sessions;
using CallTracking.Media.Workers;

namespace CallTracking.Tests.Media.Sessions;

/// <summary>
/// Two call legs on a real media engine (two workers, real loopback sockets), each with a test socket as its phone.
/// The test drives the legs' worker one 20 ms tick at a time.
/// </summary>
internal sealed class BridgeRig : IDisposable
{
    private readonly Meter _meter = new("test.bridge");
    private readonly TimeProvider _time;
    private readonly Action _advance;

    public BridgeRig(int firstPort, TimeProvider? time = null, Action? advance = null, Func<IOpusFrameEncoder>? recordingEncoder = null)
    {
        _time = time ?? TimeProvider.System;
        _advance = advance ?? (() => { });
        var ports = new RtpPortAllocator(new RtpPortRange(firstPort, firstPort + 99));
        Engine = new MediaEngine(new MediaEngineOptions(IPAddress.Loopback, ports.Range, 2), ports, recordingEncoder ?? (() => new OpusRecordingEncoder()), _time, _meter);
    }

    public MediaEngine Engine { get; }

    /// <summary>Opens a leg (next to <paramref name="colocateWith"/>) and its phone.</summary>
    public (IMediaSession Leg, Phone Phone) Open(AudioCodec codec, IMediaSession? colocateWith = null)
    {
        Assert.True(Engine.TryOpen(out var leg, colocateWith));
        return (leg, new Phone(codec, leg.RtpPort));
    }

    public static MediaLegOptions Options(Phone phone, int? telephoneEvent, TimeSpan? inactivity = null) =>
        new(phone.Codec, phone.PayloadType, telephoneEvent, phone.EndPoint, LatchAnySource: false, inactivity ?? TimeSpan.FromSeconds(30));

    public MediaWorker WorkerOf(int sessions) => Engine.Workers.Single(w => w.Count == sessions);

    public void Tick()
    {
        _advance();
        foreach (var worker in Engine.Workers)
        {
            worker.Tick(_time.GetTimestamp());
        }
    }

    public List<MediaEvent> Events()
    {
        var events = new List<MediaEvent>();
        while (Engine.Events.TryRead(out var e))
        {
            events.Add(e);
        }

        return events;
    }

    public void Dispose()
    {
        Engine.Dispose();
        _meter.Dispose();
    }
}

/// <summary>One RTP packet a phone received.</summary>
internal sealed record ReceivedPacket(int PayloadType, bool Marker, ushort Sequence, uint Timestamp, uint Ssrc, byte[] Payload);

/// <summary>The far end of a leg: a UDP socket that sends G.711 and RFC 4733 and keeps everything it receives.</summary>
internal sealed class Phone : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly SocketAddress _target;
    private readonly byte[] _packet = new byte[1500];
    private readonly byte[] _payload = new byte[160];
    private ushort _sequence = 7000;
    private uint _timestamp = 90_000;

    public Phone(AudioCodec codec, int legPort)
    {
        Codec = codec;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _target = new IPEndPoint(IPAddress.Loopback, legPort).Serialize();
    }

    public AudioCodec Codec { get; }

    public int PayloadType => Codec == AudioCodec.Pcma ? 8 : 0;

    public IPEndPoint EndPoint { get; }

    public List<ReceivedPacket> Received { get; } = [];

    /// <summary>The RTP clock of what this phone sends, for the telephone-events it starts now.</summary>
    public uint Timestamp => _timestamp;

    /// <summary>20 ms of audio as one packet (allocates nothing).</summary>
    public void Send(ReadOnlySpan<short> frame)
    {
        if (Codec == AudioCodec.Pcma)
        {
            G711.ALawEncode(frame, _payload);
        }
        else
        {
            G711.MuLawEncode(frame, _payload);
        }

        _sequence++;
        _timestamp += 160;
        var length = RtpWriter.Write(_packet, new RtpHeader((byte)PayloadType, _sequence, _timestamp, 0xCAFE), _payload);
        _socket.SendTo(_packet.AsSpan(0, length), SocketFlags.None, _target);
    }

    /// <summary>One telephone-event packet (the audio clock does not move: the event's packets share its start).</summary>
    public void SendEvent(int payloadType, in DtmfPacket packet)
    {
        Span<byte> payload = stackalloc byte[TelephoneEvent.Size];
        packet.Event.Write(payload);
        _sequence++;
        var length = RtpWriter.Write(_packet, new RtpHeader((byte)payloadType, _sequence, packet.Timestamp, 0xCAFE) { Marker = packet.Marker }, payload);
        _socket.SendTo(_packet.AsSpan(0, length), SocketFlags.None, _target);
    }

    /// <summary>Moves the audio clock on without sending (the time a key press took).</summary>
    public void Skip() => _timestamp += 160;

    /// <summary>Counts and drops what arrived (allocates nothing).</summary>
    public int Discard()
    {
        var count = 0;
        while (_socket.Available > 0)
        {
            _socket.Receive(_packet);
            count++;
        }

        return count;
    }

    /// <summary>Keeps what arrived since the last call.</summary>
    public void Drain()
    {
        var buffer = new byte[1500];
        while (_socket.Available > 0)
        {
            var length = _socket.Receive(buffer);
            Assert.True(RtpPacket.TryParse(buffer.AsSpan(0, length), out var packet));
            Received.Add(new ReceivedPacket(packet.PayloadType, packet.Marker, packet.SequenceNumber, packet.Timestamp, packet.Ssrc, packet.Payload.ToArray()));
        }
    }

    /// <summary>The audio packets received (telephone-events left out), decoded and joined.</summary>
    public short[] Audio(int from = 0, int count = int.MaxValue)
    {
        var audio = Received.Where(p => p.PayloadType == PayloadType).Skip(from).Take(count).ToList();
        var pcm = new short[audio.Sum(p => p.Payload.Length)];
        var offset = 0;
        foreach (var packet in audio)
        {
            var frame = pcm.AsSpan(offset, packet.Payload.Length);
            if (Codec == AudioCodec.Pcma)
            {
                G711.ALawDecode(packet.Payload, frame);
            }
            else
            {
                G711.MuLawDecode(packet.Payload, frame);
            }

            offset += packet.Payload.Length;
        }

        return pcm;
    }

    public void Dispose() => _socket.Dispose();
}

/// <summary>Signals for the bridge tests and the measures they are judged by.</summary>
internal static class BridgeSignals
{
    /// <summary>A linear chirp: unlike a steady tone or a voiced sound it lines up with itself at one lag only.</summary>
    public static short[] Sweep(double from, double to, TimeSpan length, double amplitude = 8000)
    {
        var samples = new short[(int)(8000 * length.TotalSeconds)];
        var seconds = length.TotalSeconds;
        for (var i = 0; i < samples.Length; i++)
        {
            var t = i / 8000.0;
            var phase = 2 * Math.PI * ((from * t) + ((to - from) * t * t / (2 * seconds)));
            samples[i] = (short)Math.Round(amplitude * Math.Sin(phase));
        }

        return samples;
    }

    /// <summary>Goertzel: the power of <paramref name="frequency"/> in <paramref name="samples"/>, normalised by their length.</summary>
    public static double Power(ReadOnlySpan<short> samples, double frequency)
    {
        var coefficient = 2 * Math.Cos(2 * Math.PI * frequency / 8000);
        double s1 = 0, s2 = 0;
        foreach (var x in samples)
        {
            var s0 = x + (coefficient * s1) - s2;
            s2 = s1;
            s1 = s0;
        }

        return ((s1 * s1) + (s2 * s2) - (coefficient * s1 * s2)) / ((double)samples.Length * samples.Length);
    }

    public static double Rms(ReadOnlySpan<short> samples) => CallTracking.Tests.Media.Recording.Signals.Rms(samples);
}
