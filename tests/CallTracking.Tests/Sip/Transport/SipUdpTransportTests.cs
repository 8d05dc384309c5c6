using System.Diagnostics.Metrics;
using System.Net;
using CallTracking.Engine.Sip.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallTracking.Tests.Sip.Transport;

/// <summary>What only the datagram transport has: several receive loops, and the source-address cache.</summary>
public sealed class SipUdpTransportTests : IAsyncLifetime
{
    private readonly Meter _meter = new(SipTransportMetrics.MeterName);
    private readonly RecordingHandler _handler = new();
    private SipUdpTransport? _transport;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_transport is not null)
        {
            await _transport.DisposeAsync();
        }

        _meter.Dispose();
    }

    [Fact]
    public async Task Disposal_ends_every_receive_loop_promptly()
    {
        var transport = Start(receiveLoops: 4);
        await using var peer = new UdpTestPeer(transport.Listener.LocalEndPoint);
        await peer.SendAsync(SipTestMessages.Options);
        await _handler.NextAsync();

        await transport.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(1));

        Assert.False(transport.TrySend(SipTestMessages.Trying100, peer.LocalEndPoint));
    }

    [Fact]
    public async Task A_datagram_from_a_new_address_after_many_from_another_names_its_own_source()
    {
        // One loop, so every datagram goes through the same cached address.
        var transport = Start(receiveLoops: 1);
        await using var first = new UdpTestPeer(transport.Listener.LocalEndPoint);
        await using var second = new UdpTestPeer(transport.Listener.LocalEndPoint);

        for (var i = 0; i < 20; i++)
        {
            await first.SendAsync(SipTestMessages.Options);
        }

        Assert.All(await _handler.TakeAsync(20), r => Assert.Equal(first.LocalEndPoint, r.Source.EndPoint));

        await second.SendAsync(SipTestMessages.Options);
        Assert.Equal(second.LocalEndPoint, (await _handler.NextAsync()).Source.EndPoint);

        await first.SendAsync(SipTestMessages.Options);
        Assert.Equal(first.LocalEndPoint, (await _handler.NextAsync()).Source.EndPoint);
    }

    private SipUdpTransport Start(int receiveLoops)
    {
        _transport = SipUdpTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0), _handler, new SipTransportMetrics(_meter), NullLogger.Instance);
        _transport.Start(receiveLoops);
        return _transport;
    }
}
