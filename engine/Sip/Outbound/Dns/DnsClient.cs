using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace CallTracking.Engine.Sip.Outbound.Dns;

/// <summary>
/// A small stub resolver: asks the configured recursive name servers over UDP (RFC 1035 §4.2.1), retries and moves
/// to the next server on time-out, repeats over TCP when the answer is truncated (§4.2.2), and caches answers for
/// their TTL (negative answers for <see cref="NegativeCacheTime"/>). Never throws for what the network does.
/// Thread-safe.
/// </summary>
public sealed partial class DnsClient
{
    /// <summary>How long "no such name" and "no records" are remembered (RFC 2308 allows the SOA minimum; a fixed
    /// short time keeps it simple and bounded).</summary>
    public static readonly TimeSpan NegativeCacheTime = TimeSpan.FromSeconds(30);

    private const int MaxUdpResponse = 4096;

    private readonly IReadOnlyList<IPEndPoint> _servers;
    private readonly TimeSpan _timeout;
    private readonly int _attempts;
    private readonly TimeProvider _time;
    private readonly OutboundMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<(string Name, DnsRecordType Type), (DnsQueryResult Result, DateTimeOffset Expires)> _cache = new();
    private int _nextId;

    /// <param name="servers">Name servers; null or empty reads /etc/resolv.conf.</param>
    /// <param name="timeout">How long one attempt waits for an answer.</param>
    /// <param name="attempts">Rounds over the server list.</param>
    public DnsClient(IReadOnlyList<IPEndPoint>? servers, TimeSpan timeout, int attempts, TimeProvider time, OutboundMetrics metrics, ILogger<DnsClient> logger)
    {
        _servers = servers is { Count: > 0 } ? servers : ResolvConf.ReadNameServers();
        _timeout = timeout;
        _attempts = Math.Max(1, attempts);
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _nextId = Random.Shared.Next(0, ushort.MaxValue);
    }

    public IReadOnlyList<IPEndPoint> Servers => _servers;

    public async Task<DnsQueryResult> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = (name.TrimEnd('.').ToLowerInvariant(), type);
        var now = _time.GetUtcNow();
        if (_cache.TryGetValue(key, out var cached))
        {
            if (cached.Expires > now)
            {
                return cached.Result;
            }

            _cache.TryRemove(new KeyValuePair<(string, DnsRecordType), (DnsQueryResult, DateTimeOffset)>(key, cached));
        }

        var query = new byte[DnsMessageWriter.MaxLength(key.Item1)];
        var id = (ushort)Interlocked.Increment(ref _nextId);
        if (!DnsMessageWriter.TryWriteQuery(query, id, key.Item1, type, out var length))
        {
            _metrics.DnsError("bad_name");
            return DnsQueryResult.Failed(DnsQueryStatus.BadName);
        }

        var result = await AskServersAsync(query.AsMemory(0, length), id, key.Item1, type, cancellationToken).ConfigureAwait(false);
        var ttl = result.Status switch
        {
            DnsQueryStatus.Ok when result.Records.Count > 0 => TimeSpan.FromSeconds(result.Records.Min(r => r.TimeToLive)),
            DnsQueryStatus.Ok or DnsQueryStatus.NameError => NegativeCacheTime,
            _ => TimeSpan.Zero,
        };
        if (ttl > TimeSpan.Zero)
        {
            _cache[key] = (result, now + ttl);
        }

        return result;
    }

    private async Task<DnsQueryResult> AskServersAsync(ReadOnlyMemory<byte> query, ushort id, string name, DnsRecordType type, CancellationToken cancellationToken)
    {
        if (_servers.Count == 0)
        {
            _metrics.DnsError("no_servers");
            return DnsQueryResult.Failed(DnsQueryStatus.Timeout);
        }

        var last = DnsQueryStatus.Timeout;
        for (var attempt = 0; attempt < _attempts; attempt++)
        {
            foreach (var server in _servers)
            {
                var response = await AskUdpAsync(server, query, id, cancellationToken).ConfigureAwait(false);
                if (response.Status == DnsQueryStatus.Timeout)
                {
                    _metrics.DnsError("timeout");
                    continue;
                }

                if (response.Response is { Truncated: true })
                {
                    // RFC 1035 §4.2.2 / RFC 7766: a truncated answer is asked again over TCP.
                    var overTcp = await AskTcpAsync(server, query, id, cancellationToken).ConfigureAwait(false);
                    if (overTcp.Response is not null)
                    {
                        response = overTcp;
                    }
                }

                if (response.Response is not { } parsed)
                {
                    last = response.Status;
                    continue;
                }

                switch (parsed.ResponseCode)
                {
                    case DnsResponseCode.NoError:
                        return Select(parsed, name, type);
                    case DnsResponseCode.NameError:
                        return DnsQueryResult.Failed(DnsQueryStatus.NameError);
                    default:
                        _metrics.DnsError("server_failure");
                        last = DnsQueryStatus.ServerFailure;
                        continue;
                }
            }
        }

        LogLookupFailed(name, type, last);
        return DnsQueryResult.Failed(last);
    }

    /// <summary>The records of the asked type: owned by the name or by a name it is a CNAME of (RFC 1034 §3.6.2).</summary>
    private static DnsQueryResult Select(DnsResponse response, string name, DnsRecordType type)
    {
        var names = new HashSet<string>(StringComparer.Ordinal) { name };
        for (var i = 0; i < 8; i++)
        {
            var added = false;
            foreach (var record in response.Answers)
            {
                if (record.Type == DnsRecordType.Cname && names.Contains(record.Name) && names.Add(record.Target))
                {
                    added = true;
                }
            }

            if (!added)
            {
                break;
            }
        }

        var records = response.Answers.Where(r => r.Type == type && names.Contains(r.Name)).ToArray();
        return new DnsQueryResult(DnsQueryStatus.Ok, records, response.Additional);
    }

    private async Task<(DnsQueryStatus Status, DnsResponse? Response)> AskUdpAsync(IPEndPoint server, ReadOnlyMemory<byte> query, ushort id, CancellationToken cancellationToken)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        var buffer = new byte[MaxUdpResponse];
        try
        {
            await socket.ConnectAsync(server, timeout.Token).ConfigureAwait(false);
            await socket.SendAsync(query, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token).ConfigureAwait(false);
                var outcome = Parse(buffer.AsSpan(0, received), id);
                if (outcome.Status == DnsQueryStatus.Ok || outcome.Status == DnsQueryStatus.Malformed)
                {
                    return outcome;
                }

                // An answer with another id is not ours (late, or spoofed): keep waiting.
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (DnsQueryStatus.Timeout, null);
        }
        catch (SocketException)
        {
            // ICMP port unreachable shows up as a refused receive: the server is not there.
            return (DnsQueryStatus.Timeout, null);
        }
    }

    private async Task<(DnsQueryStatus Status, DnsResponse? Response)> AskTcpAsync(IPEndPoint server, ReadOnlyMemory<byte> query, ushort id, CancellationToken cancellationToken)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout * 2);
        try
        {
            await socket.ConnectAsync(server, timeout.Token).ConfigureAwait(false);
            var framed = new byte[query.Length + 2];
            BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
            query.CopyTo(framed.AsMemory(2));
            await socket.SendAsync(framed, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            var lengthBytes = new byte[2];
            await ReceiveExactlyAsync(socket, lengthBytes, timeout.Token).ConfigureAwait(false);
            var response = new byte[BinaryPrimitives.ReadUInt16BigEndian(lengthBytes)];
            await ReceiveExactlyAsync(socket, response, timeout.Token).ConfigureAwait(false);
            return Parse(response, id);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (DnsQueryStatus.Timeout, null);
        }
        catch (SocketException)
        {
            return (DnsQueryStatus.Timeout, null);
        }
        catch (EndOfStreamException)
        {
            return (DnsQueryStatus.Malformed, null);
        }
    }

    private static async Task ReceiveExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new EndOfStreamException();
            }

            buffer = buffer[read..];
        }
    }

    private (DnsQueryStatus Status, DnsResponse? Response) Parse(ReadOnlySpan<byte> message, ushort id)
    {
        if (message.Length >= 2 && BinaryPrimitives.ReadUInt16BigEndian(message) != id)
        {
            return (DnsQueryStatus.Timeout, null);
        }

        if (!DnsMessageReader.TryRead(message, out var response, out var error))
        {
            _metrics.DnsError("malformed");
            LogMalformed(error);
            return (DnsQueryStatus.Malformed, null);
        }

        return (DnsQueryStatus.Ok, response);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "DNS lookup of {Name} {Type} failed: {Status}")]
    private partial void LogLookupFailed(string name, DnsRecordType type, DnsQueryStatus status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Malformed DNS response: {Error}")]
    private partial void LogMalformed(DnsParseError error);
}
