using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace CallTracking.Engine.Sip.Transport;

/// <summary>
/// Every SIP listener of the engine, and the one <see cref="ISipSender"/> the layers above use: it picks the
/// socket a message leaves from by transport and address family.
/// </summary>
public sealed class SipTransports : ISipTransport, IAsyncDisposable
{
    private readonly List<SipUdpTransport> _udp = [];
    private readonly List<SipTcpTransport> _tcp = [];
    private readonly SipTransportMetrics _metrics;

    public SipTransports(SipTransportMetrics metrics) => _metrics = metrics;

    public IReadOnlyList<SipListener> Listeners => [.. _udp.Select(u => u.Listener), .. _tcp.Select(t => t.Listener)];

    /// <summary>Binds every endpoint before any starts, so a port in use fails start-up as a whole.</summary>
    public void Bind(IEnumerable<(SipTransportKind Transport, IPEndPoint EndPoint)> endpoints, ISipMessageHandler handler, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(loggers);
        foreach (var (transport, endPoint) in endpoints)
        {
            switch (transport)
            {
                case SipTransportKind.Udp:
                    _udp.Add(SipUdpTransport.Bind(endPoint, handler, _metrics, loggers.CreateLogger<SipUdpTransport>()));
                    break;
                case SipTransportKind.Tcp:
                    _tcp.Add(SipTcpTransport.Bind(endPoint, handler, _metrics, loggers.CreateLogger<SipTcpTransport>()));
                    break;
                default:
                    throw new NotSupportedException($"SIP over {transport} is not available in this release.");
            }
        }
    }

    public void Start(int udpReceiveLoops)
    {
        foreach (var udp in _udp)
        {
            udp.Start(udpReceiveLoops);
        }

        foreach (var tcp in _tcp)
        {
            tcp.Start();
        }
    }

    /// <summary>The listener a message to <paramref name="remote"/> leaves from: what our Via and Contact must name.</summary>
    public SipListener? ListenerFor(in SipRemote remote)
    {
        var family = remote.EndPoint.AddressFamily;
        return remote.Transport switch
        {
            SipTransportKind.Udp => Pick(_udp, u => u.Listener, family),
            SipTransportKind.Tcp => Pick(_tcp, t => t.Listener, family),
            _ => null,
        };
    }

    public bool TrySend(ReadOnlyMemory<byte> message, in SipRemote remote)
    {
        var family = remote.EndPoint.AddressFamily;
        switch (remote.Transport)
        {
            case SipTransportKind.Udp:
                var udp = Pick(_udp, u => u, family);
                if (udp is not null)
                {
                    return udp.TrySend(message.Span, remote.EndPoint);
                }

                break;
            case SipTransportKind.Tcp:
                var tcp = Pick(_tcp, t => t, family);
                if (tcp is not null)
                {
                    return tcp.TrySend(message.Span, remote);
                }

                break;
        }

        _metrics.SendFailed(remote.Transport);
        return false;
    }

    private static T? Pick<TTransport, T>(List<TTransport> transports, Func<TTransport, T> select, AddressFamily family)
        where T : class
    {
        T? fallback = null;
        foreach (var transport in transports)
        {
            var listener = transport switch
            {
                SipUdpTransport u => u.Listener,
                SipTcpTransport t => t.Listener,
                _ => null,
            };
            if (listener is null)
            {
                continue;
            }

            var local = listener.LocalEndPoint.Address;
            if (local.AddressFamily == family)
            {
                return select(transport);
            }

            // A dual-mode [::] socket also reaches IPv4 peers.
            if (local.Equals(IPAddress.IPv6Any))
            {
                fallback ??= select(transport);
            }
        }

        return fallback;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var tcp in _tcp)
        {
            await tcp.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var udp in _udp)
        {
            await udp.DisposeAsync().ConfigureAwait(false);
        }
    }
}
