using System.Net;
using System.Net.Sockets;

namespace CallTracking.IntegrationTests.Audio;

/// <summary>A received RTP packet and when it arrived.</summary>
public sealed record ReceivedRtp(DateTimeOffset Arrival, IPEndPoint From, RtpPacket Packet);

/// <summary>
/// A UDP socket on 127.0.0.1 that keeps every RTP packet it receives: put its <see cref="Port"/> in an
/// SDP and see what a peer sends. Datagrams that are not RTP are counted and dropped.
/// </summary>
public sealed class RtpReceiver : IDisposable
{
    private readonly Socket _socket;
    private readonly List<ReceivedRtp> _packets = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _other;

    public RtpReceiver(int port = 0)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
        Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
        _loop = Task.Run(ReceiveLoopAsync);
    }

    public int Port { get; }

    public int NonRtpDatagrams => Volatile.Read(ref _other);

    public IReadOnlyList<ReceivedRtp> Received
    {
        get
        {
            lock (_gate)
            {
                return [.. _packets];
            }
        }
    }

    public IReadOnlyList<RtpPacket> Packets => Received.Select(r => r.Packet).ToList();

    /// <summary>Waits until no packet has arrived for <paramref name="quiet"/> after at least one did, or <paramref name="timeout"/> passes.</summary>
    public async Task WaitForQuietAsync(TimeSpan quiet, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (DateTimeOffset.UtcNow < deadline)
        {
            var received = Received;
            if (received.Count > 0 && DateTimeOffset.UtcNow - received[^1].Arrival >= quiet)
            {
                return;
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
            // The loop ends with the socket.
        }

        _stop.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[2048];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            if (RtpPacket.TryParse(buffer.AsSpan(0, result.ReceivedBytes), out var packet))
            {
                lock (_gate)
                {
                    _packets.Add(new ReceivedRtp(DateTimeOffset.UtcNow, (IPEndPoint)result.RemoteEndPoint, packet));
                }
            }
            else
            {
                Interlocked.Increment(ref _other);
            }
        }
    }
}
