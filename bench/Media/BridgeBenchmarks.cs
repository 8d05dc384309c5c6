using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using CallTracking.Media.Codecs;
using CallTracking.Media.Recording;
using CallTracking.Media.Rtp;
using CallTracking.Media.Sessions;
using CallTracking.Media.Workers;

namespace CallTracking.Bench.Media;

/// <summary>
/// One 20 ms tick of a bridged call (PCMU caller ⇄ PCMA business) on real loopback sockets: both legs receive a
/// packet, decode it through the jitter buffer, hand it across, re-encode it in the other codec and send it; with
/// <see cref="Recording"/> the caller's leg also places each received packet on its recording timeline (by RTP
/// timestamp, a second decode) and records both directions to Ogg Opus. Allocated must read 0 B.
/// </summary>
[MemoryDiagnoser]
public class BridgeBenchmarks : IDisposable
{
    private readonly byte[] _packet = new byte[1500];
    private readonly byte[] _incoming = new byte[1500];
    private readonly byte[] _pcmuPayload = new byte[160];
    private readonly byte[] _pcmaPayload = new byte[160];
    private Meter _meter = null!;
    private MediaEngine _engine = null!;
    private MediaWorker _worker = null!;
    private Socket _caller = null!;
    private Socket _business = null!;
    private SocketAddress _callerLeg = null!;
    private SocketAddress _businessLeg = null!;
    private IMediaSession _a = null!;
    private IMediaSession _b = null!;
    private string _directory = string.Empty;
    private ushort _sequence;
    private uint _timestamp;

    [Params(false, true)]
    public bool Recording { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _meter = new Meter("bench.bridge");
        _directory = Directory.CreateTempSubdirectory("calltracking-bridge-bench-").FullName;
        var ports = new RtpPortAllocator(new RtpPortRange(43000, 43099));
        _engine = new MediaEngine(new MediaEngineOptions(IPAddress.Loopback, ports.Range, 1), ports, () => new OpusRecordingEncoder(), TimeProvider.System, _meter);
        _worker = _engine.Workers[0];
        _caller = Phone();
        _business = Phone();
        if (!_engine.TryOpen(out _a) || !_engine.TryOpen(out _b, colocateWith: _a))
        {
            throw new InvalidOperationException("No RTP ports free in 43000-43099.");
        }

        _callerLeg = new IPEndPoint(IPAddress.Loopback, _a.RtpPort).Serialize();
        _businessLeg = new IPEndPoint(IPAddress.Loopback, _b.RtpPort).Serialize();
        _a.Start(new MediaLegOptions(AudioCodec.Pcmu, 0, 101, (IPEndPoint)_caller.LocalEndPoint!, false, TimeSpan.FromSeconds(30)), Recording ? Path.Combine(_directory, "call.opus") : null);
        _b.Start(new MediaLegOptions(AudioCodec.Pcma, 8, 96, (IPEndPoint)_business.LocalEndPoint!, false, TimeSpan.FromSeconds(30)), null);
        _a.Bridge(_b);

        // 20 ms of a 400 Hz tone (8 whole cycles: seamless when repeated), in each phone's codec.
        var tone = new short[160];
        for (var i = 0; i < tone.Length; i++)
        {
            tone[i] = (short)(8000 * Math.Sin(2 * Math.PI * 400 * i / 8000.0));
        }

        G711.MuLawEncode(tone, _pcmuPayload);
        G711.ALawEncode(tone, _pcmaPayload);
        for (var i = 0; i < 300; i++)
        {
            BridgedTick();
        }
    }

    [Benchmark]
    public int BridgedTick()
    {
        _sequence++;
        _timestamp += 160;
        var length = RtpWriter.Write(_packet, new RtpHeader(0, _sequence, _timestamp, 0x1111), _pcmuPayload);
        _caller.SendTo(_packet.AsSpan(0, length), SocketFlags.None, _callerLeg);
        length = RtpWriter.Write(_packet, new RtpHeader(8, _sequence, _timestamp, 0x2222), _pcmaPayload);
        _business.SendTo(_packet.AsSpan(0, length), SocketFlags.None, _businessLeg);
        _worker.Tick(TimeProvider.System.GetTimestamp());
        return Drain(_caller) + Drain(_business);
    }

    private int Drain(Socket socket)
    {
        var received = 0;
        while (socket.Available > 0)
        {
            received += socket.Receive(_incoming);
        }

        return received;
    }

    private static Socket Phone()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _a?.Stop();
        _b?.Stop();
        _worker?.Tick(TimeProvider.System.GetTimestamp());
        _engine?.Dispose();
        _caller?.Dispose();
        _business?.Dispose();
        _meter?.Dispose();
        if (_directory.Length > 0)
        {
            Directory.Delete(_directory, recursive: true);
        }

        GC.SuppressFinalize(this);
    }
}
