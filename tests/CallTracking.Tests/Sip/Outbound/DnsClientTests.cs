using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using CallTracking.Engine.Sip.Outbound;
using CallTracking.Engine.Sip.Outbound.Dns;
using CallTracking.Tests.Sip.Transport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CallTracking.Tests.Sip.Outbound;

/// <summary>The DNS client against a loopback UDP socket that answers what each test wants.</summary>
public sealed class DnsClientTests : IDisposable
{
    private readonly Socket _server = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Meter _meter = new("test.dns");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch);

    public DnsClientTests() => _server.Bind(new IPEndPoint(IPAddress.Loopback, 0));

    private DnsClient Client() => new(
        [(IPEndPoint)_server.LocalEndPoint!], TimeSpan.FromSeconds(2), 1, _time, new OutboundMetrics(_meter), NullLogger<DnsClient>.Instance);

    /// <summary>Answers one query: the reply gets the query's id.</summary>
    private async Task<int> AnswerOnceAsync(byte[] reply)
    {
        var buffer = new byte[512];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        var received = await _server.ReceiveFromAsync(buffer, SocketFlags.None, from);
        reply[0] = buffer[0];
        reply[1] = buffer[1];
        await _server.SendToAsync(reply, SocketFlags.None, received.RemoteEndPoint);
        return received.ReceivedBytes;
    }

    [Fact]
    public async Task Srv_answer_is_returned_and_cached_for_its_ttl()
    {
        var client = Client();
        var serving = AnswerOnceAsync(DnsTestMessages.SrvAnswer());
        var result = await client.QueryAsync("_sip._udp.office.test", DnsRecordType.Srv);
        await serving;
        Assert.Equal(DnsQueryStatus.Ok, result.Status);
        Assert.Equal(2, result.Records.Count);

        // Within the TTL (300 s) nothing is asked: the server would not answer a second time.
        _time.Advance(TimeSpan.FromSeconds(299));
        Assert.Same(result, await client.QueryAsync("_sip._udp.OFFICE.test.", DnsRecordType.Srv));
    }

    [Fact]
    public async Task Malformed_answer_is_an_error_result_and_counted()
    {
        using var recorder = new MetricsRecorder(_meter);
        var client = Client();
        var garbage = new byte[] { 0, 0, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, 0xC0, 0xFF };
        var serving = AnswerOnceAsync(garbage);
        var result = await client.QueryAsync("office.test", DnsRecordType.A);
        await serving;
        Assert.Equal(DnsQueryStatus.Malformed, result.Status);
        Assert.Empty(result.Records);
        Assert.Equal(1, recorder.Total("calltracking.sip.outbound.dns_errors"));
    }

    [Fact]
    public async Task Name_error_is_reported()
    {
        var client = Client();
        var nxdomain = new byte[] { 0, 0, 0x81, 0x83, 0, 0, 0, 0, 0, 0, 0, 0 };
        var serving = AnswerOnceAsync(nxdomain);
        var result = await client.QueryAsync("nowhere.test", DnsRecordType.A);
        await serving;
        Assert.Equal(DnsQueryStatus.NameError, result.Status);
    }

    public void Dispose()
    {
        _server.Dispose();
        _meter.Dispose();
    }
}
