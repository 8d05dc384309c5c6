using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using CallTracking.Media.Codecs;
using CallTracking.Media.Recording;
using CallTracking.Media.Rtp;
using CallTracking.Media.Rtp.Rtcp;
using CallTracking.Media.Sessions;
using CallTracking.Media.Workers;
using Microsoft.Extensions.Time.Testing;

namespace CallTracking.Tests.Media.Sessions;

/// <summary>RTCP both ways (RFC 3550 §6): we report on the caller's stream every 5 s and echo its sender reports.</summary>
public sealed class RtcpExchangeTests : IDisposable
{
    private const uint CallerSsrc = 0xCAFE0001;
    private readonly Meter _meter = new("test.rtcp");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Receiver_reports_describe_the_callers_stream_and_echo_its_sender_report()
    {
        var ports = new RtpPortAllocator(new RtpPortRange(41600, 41699));
        using var engine = new MediaEngine(new MediaEngineOptions(IPAddress.Loopback, ports.Range, 1), ports, () => new OpusRecordingEncoder(), _time, _meter);
        Assert.True(engine.TryOpen(out var session));
        using var rtp = Bound(0);
        var rtpPort = ((IPEndPoint)rtp.LocalEndPoint!).Port;
        using var rtcp = Bound(rtpPort + 1);
        session.Start(new MediaLegOptions(AudioCodec.Pcmu, 0, 101, new IPEndPoint(IPAddress.Loopback, rtpPort), false, TimeSpan.FromSeconds(30)), null);
        var worker = engine.Workers[0];
        var target = new IPEndPoint(IPAddress.Loopback, session.RtpPort);
        var packet = new byte[172];
        ushort sequence = 500;

        // 6 s of the caller's audio, one packet per 20 ms tick; packet 100 is lost on the way.
        for (var tick = 0; tick < 300; tick++)
        {
            sequence++;
            if (tick != 100)
            {
                var length = RtpWriter.Write(packet, new RtpHeader(0, sequence, (uint)(tick * 160), CallerSsrc), new byte[160]);
                rtp.SendTo(packet.AsSpan(0, length), target);
            }

            if (tick == 150)
            {
                // The caller's sender report: its NTP time is what our next report echoes as LSR.
                var sr = new byte[64];
                var ntp = NtpTimestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 23, 12, 0, 3, TimeSpan.Zero));
                var srLength = RtcpWriter.WriteSenderReport(sr, CallerSsrc, new SenderInfo(ntp, (uint)(tick * 160), 150, 24000), []);
                rtcp.SendTo(sr.AsSpan(0, srLength), new IPEndPoint(IPAddress.Loopback, session.RtpPort + 1));
                Thread.Sleep(5);
            }

            Thread.Sleep(0);
            worker.Tick(_time.GetTimestamp());
            _time.Advance(TimeSpan.FromMilliseconds(20));
        }

        var reports = ReadReports(rtcp);
        Assert.NotEmpty(reports);
        var last = reports[^1];
        Assert.Equal(CallerSsrc, last.Ssrc);
        Assert.Equal(1, last.CumulativeLost);
        // Reports go every 5 s: the one at 5 s (tick 250) has heard up to the 251st packet, sequence 751.
        Assert.Single(reports);
        Assert.Equal(751u, last.ExtendedHighestSequenceNumber & 0xFFFF);
        var expectedLsr = NtpTimestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 23, 12, 0, 3, TimeSpan.Zero)).Middle32;
        Assert.Equal(expectedLsr, last.LastSenderReport);
        Assert.True(last.DelaySinceLastSenderReport > 0);
        session.Stop();
        worker.Tick(_time.GetTimestamp());
    }

    private static Socket Bound(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 1000 };
        socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
        return socket;
    }

    private static List<ReportBlock> ReadReports(Socket rtcp)
    {
        var blocks = new List<ReportBlock>();
        var buffer = new byte[1500];
        while (rtcp.Available > 0)
        {
            var length = rtcp.Receive(buffer);
            var reader = new RtcpCompoundReader(buffer.AsSpan(0, length));
            while (reader.MoveNext())
            {
                if (reader.Current.Type == (byte)RtcpPacketType.ReceiverReport && RtcpReceiverReport.TryParse(reader.Current, out var report, out _) && report.ReportCount > 0)
                {
                    blocks.Add(report.GetReportBlock(0));
                }
            }
        }

        return blocks;
    }

    public void Dispose() => _meter.Dispose();
}
