using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CallTracking.IntegrationTests.Infrastructure;

/// <summary>
/// Sends one out-of-dialog OPTIONS over UDP to 127.0.0.1:port and reports
/// whether any SIP response came back in time — "is a SIP stack listening there?".
/// </summary>
public static class SipOptionsProbe
{
    public static async Task<bool> AnswersAsync(int port, TimeSpan wait)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var localPort = ((IPEndPoint)socket.LocalEndPoint!).Port;
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            await socket.SendToAsync(Request(port, localPort), new IPEndPoint(IPAddress.Loopback, port), timeout.Token).ConfigureAwait(false);
            while (true)
            {
                var received = await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), timeout.Token).ConfigureAwait(false);
                if (received.ReceivedBytes >= 8 && buffer.AsSpan(0, 8).SequenceEqual("SIP/2.0 "u8))
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return false;
        }
        catch (SocketException)
        {
            // ICMP port unreachable surfaces here on Linux: nothing bound there.
            return false;
        }
    }

    private static byte[] Request(int port, int localPort)
    {
        var tag = Guid.NewGuid().ToString("N")[..10];
        return Encoding.ASCII.GetBytes(
            $"OPTIONS sip:probe@127.0.0.1:{port} SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP 127.0.0.1:{localPort};branch=z9hG4bK-probe-{tag};rport\r\n" +
            "Max-Forwards: 70\r\n" +
            $"From: <sip:harness@127.0.0.1:{localPort}>;tag={tag}\r\n" +
            $"To: <sip:probe@127.0.0.1:{port}>\r\n" +
            $"Call-ID: probe-{tag}@127.0.0.1\r\n" +
            "CSeq: 1 OPTIONS\r\n" +
            "Content-Length: 0\r\n\r\n");
    }
}
