using System.Net;
using System.Text;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Outbound.Dns;
using CallTracking.Engine.Sip.Transport;

namespace CallTracking.Engine.Sip.Outbound;

/// <summary>
/// RFC 3263 §4 for SIP URIs: an IP address is used as it is; a host with an explicit port is looked up with A/AAAA
/// only; otherwise SRV <c>_sip._udp</c> or <c>_sip._tcp</c> (by the transport parameter, else the given default) in
/// RFC 2782 order, then A/AAAA on port 5060 when there are no SRV records. NAPTR is not asked: every trunk we know
/// publishes SRV, and the transport comes from the URI or the trunk's setting. Thread-safe.
/// </summary>
public sealed class SipDnsResolver
{
    public const int DefaultPort = 5060;

    private readonly DnsClient _dns;
    private readonly Random _random;
    private readonly Lock _randomLock = new();

    /// <param name="random">RFC 2782 weighted selection; seeded in tests.</param>
    public SipDnsResolver(DnsClient dns, Random random)
    {
        _dns = dns;
        _random = random;
    }

    public async Task<SipResolution> ResolveAsync(string uriText, SipTransportKind defaultTransport, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uriText);
        if (!TryReadUri(uriText, defaultTransport, out var host, out var port, out var transport))
        {
            return SipResolution.Failed($"not a SIP URI: {uriText}");
        }

        if (IPAddress.TryParse(host, out var literal))
        {
            return new SipResolution([new SipTarget(new SipRemote(transport, new IPEndPoint(literal, port == 0 ? DefaultPort : port)), host)], null);
        }

        if (port == 0)
        {
            var service = transport == SipTransportKind.Tcp ? "_sip._tcp." : "_sip._udp.";
            var srv = await _dns.QueryAsync(service + host, DnsRecordType.Srv, cancellationToken).ConfigureAwait(false);
            if (srv.Status == DnsQueryStatus.Ok && srv.Records.Count > 0)
            {
                IReadOnlyList<DnsRecord> ordered;
                lock (_randomLock)
                {
                    ordered = SrvOrdering.Order(srv.Records, _random);
                }

                var targets = new List<SipTarget>();
                foreach (var record in ordered)
                {
                    // RFC 2782: a target of "." means the service is decidedly not offered here.
                    if (record.Target.Length == 0)
                    {
                        continue;
                    }

                    foreach (var address in await AddressesAsync(record.Target, srv.Additional, cancellationToken).ConfigureAwait(false))
                    {
                        targets.Add(new SipTarget(new SipRemote(transport, new IPEndPoint(address, record.Port)), record.Target));
                    }
                }

                return targets.Count > 0 ? new SipResolution(targets, null) : SipResolution.Failed($"no address for the SRV targets of {host}");
            }
        }

        var addresses = await AddressesAsync(host, [], cancellationToken).ConfigureAwait(false);
        if (addresses.Count == 0)
        {
            return SipResolution.Failed($"no address for {host}");
        }

        var effectivePort = port == 0 ? DefaultPort : port;
        return new SipResolution([.. addresses.Select(a => new SipTarget(new SipRemote(transport, new IPEndPoint(a, effectivePort)), host))], null);
    }

    /// <summary>A records first, then AAAA (our listeners are IPv4 first); addresses already in the SRV answer's
    /// additional section save the queries.</summary>
    private async Task<IReadOnlyList<IPAddress>> AddressesAsync(string host, IReadOnlyList<DnsRecord> additional, CancellationToken cancellationToken)
    {
        var name = host.TrimEnd('.').ToLowerInvariant();
        if (IPAddress.TryParse(name, out var literal))
        {
            return [literal];
        }

        var known = additional.Where(r => r.Name == name && r.Address is not null).Select(r => r.Address!).ToArray();
        if (known.Length > 0)
        {
            return known;
        }

        var result = new List<IPAddress>();
        var a = await _dns.QueryAsync(name, DnsRecordType.A, cancellationToken).ConfigureAwait(false);
        result.AddRange(a.Records.Where(r => r.Address is not null).Select(r => r.Address!));
        var aaaa = await _dns.QueryAsync(name, DnsRecordType.Aaaa, cancellationToken).ConfigureAwait(false);
        result.AddRange(aaaa.Records.Where(r => r.Address is not null).Select(r => r.Address!));
        return result;
    }

    internal static bool TryReadUri(string uriText, SipTransportKind defaultTransport, out string host, out int port, out SipTransportKind transport)
    {
        host = string.Empty;
        port = 0;
        transport = defaultTransport;
        var bytes = Encoding.ASCII.GetBytes(uriText.Trim().Trim('<', '>'));
        if (!SipUri.TryParse(bytes, out var uri) || uri.Host.IsEmpty)
        {
            return false;
        }

        if (uri.TryGetParameter("transport"u8, out var value))
        {
            if (value.EqualsOrdinalIgnoreCase("tcp"u8))
            {
                transport = SipTransportKind.Tcp;
            }
            else if (value.EqualsOrdinalIgnoreCase("udp"u8))
            {
                transport = SipTransportKind.Udp;
            }
        }

        host = Encoding.ASCII.GetString(uri.Host).Trim('[', ']');
        port = uri.Port;
        return true;
    }
}
