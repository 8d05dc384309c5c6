using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using CallTracking.Media.Codecs;
using CallTracking.Media.Recording;
using CallTracking.Media.Rtp;
using CallTracking.Media.Sessions;
using CallTracking.Media.Workers;

namespace CallTracking.Tests.Media.Sessions;

/// <summary>A recording that cannot be written costs the recording, not the call, and says why.</summary>
public sealed class RecordingFailureTests : IDisposable
{
    private readonly Meter _meter = new("test.recording-failure");
    private readonly string _directory = Directory.CreateTempSubdirectory("calltracking-recfail-").FullName;

    [Fact]
    public void Unwritable_recording_path_keeps_the_call_and_reports_the_reason()
    {
        // A file where the day's folder should be: creating the folder fails as a full or read-only disk would.
        var blocker = Path.Combine(_directory, "2026");
        File.WriteAllText(blocker, "not a folder");
        var ports = new RtpPortAllocator(new RtpPortRange(41800, 41899));
        using var engine = new MediaEngine(new MediaEngineOptions(IPAddress.Loopback, ports.Range, 1), ports, () => new OpusRecordingEncoder(), TimeProvider.System, _meter);
        Assert.True(engine.TryOpen(out var session));
        using var caller = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        caller.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        session.Start(
            new MediaLegOptions(AudioCodec.Pcmu, 0, 101, (IPEndPoint)caller.LocalEndPoint!, false, TimeSpan.FromSeconds(30)),
            Path.Combine(blocker, "11", "23", "call.opus"));
        var worker = engine.Workers[0];
        var packet = new byte[172];
        for (ushort i = 0; i < 50; i++)
        {
            var length = RtpWriter.Write(packet, new RtpHeader(0, i, (uint)(i * 160), 0x77), new byte[160]);
            caller.SendTo(packet.AsSpan(0, length), new IPEndPoint(IPAddress.Loopback, session.RtpPort));
            worker.Tick(TimeProvider.System.GetTimestamp());
        }

        session.Stop();
        worker.Tick(TimeProvider.System.GetTimestamp());

        Assert.True(engine.Events.TryRead(out var stopped));
        var summary = stopped.Summary!;
        Assert.Null(summary.RecordingPath);
        Assert.StartsWith($"cannot write {Path.Combine(blocker, "11", "23", "call.opus")}", summary.RecordingError, StringComparison.Ordinal);
        Assert.InRange(summary.PacketsReceived, 45, 50);
    }

    public void Dispose()
    {
        _meter.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
