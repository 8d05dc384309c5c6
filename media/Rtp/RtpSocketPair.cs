using System.Net;
using System.Net.Sockets;

namespace CallTracking.Media.Rtp;

/// <summary>
/// The RTP socket (even port) and RTCP socket (the next, odd port) of one call leg (RFC 3550 §11). Both are
/// non-blocking: a media worker drains them on its tick instead of a receive loop per call.
/// </summary>
public sealed class RtpSocketPair : IDisposable
{
    private RtpSocketPair(Socket rtp, Socket rtcp, IPAddress address, int rtpPort)
    {
        Rtp = rtp;
        Rtcp = rtcp;
        Address = address;
        RtpPort = rtpPort;
    }

    public Socket Rtp { get; }

    public Socket Rtcp { get; }

    public IPAddress Address { get; }

    public int RtpPort { get; }

    public int RtcpPort => RtpPort + 1;

    /// <summary>Binds both ports or neither; false when either is taken by someone else.</summary>
    public static bool TryBind(IPAddress address, int rtpPort, out RtpSocketPair? pair)
    {
        ArgumentNullException.ThrowIfNull(address);
        pair = null;
        var rtp = Open(address);
        var rtcp = Open(address);
        try
        {
            rtp.Bind(new IPEndPoint(address, rtpPort));
            rtcp.Bind(new IPEndPoint(address, rtpPort + 1));
        }
        catch (SocketException)
        {
            rtp.Dispose();
            rtcp.Dispose();
            return false;
        }

        pair = new RtpSocketPair(rtp, rtcp, address, rtpPort);
        return true;
    }

    private static Socket Open(IPAddress address)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { Blocking = false };
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.Equals(IPAddress.IPv6Any))
        {
            socket.DualMode = true;
        }

        // A worker drains the socket every 20 ms; a burst of a few hundred ms must fit in the kernel buffer.
        socket.ReceiveBufferSize = 256 * 1024;
        return socket;
    }

    public void Dispose()
    {
        Rtp.Dispose();
        Rtcp.Dispose();
    }
}
