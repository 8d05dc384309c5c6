using System.Net.Sockets;
using CallTracking.Media.Rtp;
using CallTracking.Media.Rtp.Rtcp;

namespace CallTracking.Media.Sessions;

/// <summary>RTCP (RFC 3550 §6): read the peer's sender reports, send ours every few seconds.</summary>
public sealed partial class MediaSession
{
    private byte[] _cname = [];
    private uint _recordingSerial;

    private void DrainRtcp()
    {
        var receiver = _rtcpReceiver;
        int count;
        do
        {
            count = receiver.Receive();
            for (int i = 0; i < count; i++)
            {
                ReadRtcp(receiver.Datagram(i));
            }
        }
        while (count == receiver.Capacity);
    }

    private void ReadRtcp(ReadOnlySpan<byte> datagram)
    {
        var reader = new RtcpCompoundReader(datagram);
        while (reader.MoveNext())
        {
            // The SR's NTP time is what our report blocks echo as LSR, so the peer can measure the round trip.
            if (reader.Current.Type == (byte)RtcpPacketType.SenderReport
                && RtcpSenderReport.TryParse(reader.Current, out var report, out _)
                && report.Ssrc == _statistics.Ssrc)
            {
                _statistics.ReceiveSenderReport(report.SenderInfo.NtpTimestamp, Elapsed(_dependencies.Time.GetTimestamp()));
            }
        }
    }

    private void SendRtcpIfDue(long now)
    {
        if (_dependencies.Time.GetElapsedTime(_lastRtcpTimestamp, now) < RtcpInterval || _remoteRtcp is null)
        {
            return;
        }

        _lastRtcpTimestamp = now;
        var elapsed = Elapsed(now);
        Span<ReportBlock> blocks = stackalloc ReportBlock[1];
        var blockCount = 0;
        if (_statistics.IsValid)
        {
            blocks[0] = _statistics.CreateReportBlock(elapsed);
            blockCount = 1;
        }

        // RFC 3550 §6.4: a sender reports with SR, a receiver that has sent nothing with RR; both add SDES CNAME.
        var length = _sendStatistics.HasSent
            ? RtcpWriter.WriteSenderReportWithCanonicalName(_sendBuffer, _ssrc, _sendStatistics.CreateSenderInfo(NtpTimestamp.FromTimeProvider(_dependencies.Time), elapsed), blocks[..blockCount], _cname)
            : RtcpWriter.WriteReceiverReportWithCanonicalName(_sendBuffer, _ssrc, blocks[..blockCount], _cname);
        if (length <= 0)
        {
            return;
        }

        try
        {
            Sockets.Rtcp.SendTo(_sendBuffer.AsSpan(0, length), SocketFlags.None, _remoteRtcp);
        }
        catch (SocketException)
        {
            _dependencies.Metrics.SendFailed();
        }
    }
}
