using System.Net;
using System.Text;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Parsing;
using CallTracking.Engine.Sip.Transport;

namespace CallTracking.Tests.Sip.Transport;

/// <summary>
/// What every SIP transport promises the layer above (RFC 3261 §18), run against each implementation:
/// framing, source addressing, replies to the source, keep-alives, bad input as a value, and isolation from
/// a failing handler.
/// </summary>
public abstract class SipTransportContract : IAsyncLifetime
{
    private TransportHarness? _harness;

    private protected abstract SipTransportKind Kind { get; }

    /// <summary>What a peer sends to keep a NAT binding or connection alive (RFC 5626 §3.5.1, §4.4.1).</summary>
    private protected abstract IReadOnlyList<byte[]> KeepAlives { get; }

    private protected TransportHarness Harness => _harness!;

    private protected RecordingHandler Handler => Harness.Handler;

    private protected abstract Task<SipTestPeer> ConnectAsync(IPEndPoint server);

    private protected abstract void AssertConnection(in SipRemote source);

    public Task InitializeAsync()
    {
        _harness = new TransportHarness(Kind);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_request_arrives_once_with_its_source()
    {
        await using var peer = await ConnectAsync(Harness.Listener.LocalEndPoint);

        await peer.SendAsync(SipTestMessages.Options);
        await peer.SendAsync(SipTestMessages.Cancel);

        var received = await Handler.TakeAsync(2);
        var options = Assert.Single(received, r => r.Text.StartsWith("OPTIONS ", StringComparison.Ordinal));
        Assert.Single(received, r => r.Text.StartsWith("CANCEL ", StringComparison.Ordinal));
        Assert.Equal(Encoding.ASCII.GetString(SipTestMessages.Options), options.Text);
        Assert.Equal(SipParseStatus.Complete, options.Status);
        Assert.Equal(SipParseError.None, options.Error);
        Assert.Equal(Kind, options.Source.Transport);
        Assert.Equal(peer.LocalEndPoint, options.Source.EndPoint);
        Assert.Equal(Harness.Listener, options.Listener);
        AssertConnection(options.Source);
        Assert.Equal(2, Handler.Count);
    }

    [Fact]
    public async Task A_reply_sent_to_the_source_reaches_the_peer()
    {
        await using var peer = await ConnectAsync(Harness.Listener.LocalEndPoint);
        await peer.SendAsync(SipTestMessages.TwilioInvite);
        var invite = await Handler.NextAsync();

        Assert.True(Harness.Transports.TrySend(SipTestMessages.Trying100, invite.Source));

        Assert.Equal(SipTestMessages.Trying100, await peer.ReceiveMessageAsync());
        Assert.Equal(Harness.Listener, Harness.Transports.ListenerFor(invite.Source));
    }

    [Fact]
    public async Task A_malformed_message_is_delivered_as_invalid_with_its_error_and_the_next_one_still_arrives()
    {
        await using var peer = await ConnectAsync(Harness.Listener.LocalEndPoint);

        await peer.SendAsync(WithoutCallId(SipTestMessages.Options));
        await peer.SendAsync(SipTestMessages.Ack);

        var bad = await Handler.NextAsync();
        var next = await Handler.NextAsync();
        if (bad.Status == SipParseStatus.Complete)
        {
            (bad, next) = (next, bad);
        }

        Assert.Equal(SipParseStatus.Invalid, bad.Status);
        Assert.Equal(SipParseError.MissingCallId, bad.Error);
        Assert.Equal(peer.LocalEndPoint, bad.Source.EndPoint);
        Assert.Equal(SipParseStatus.Complete, next.Status);
        Assert.StartsWith("ACK ", next.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keep_alives_are_not_delivered_as_messages()
    {
        await using var peer = await ConnectAsync(Harness.Listener.LocalEndPoint);
        foreach (var keepAlive in KeepAlives)
        {
            await peer.SendAsync(keepAlive);
        }

        await peer.SendAsync(SipTestMessages.Options);
        var options = await Handler.NextAsync();

        // A second round trip, so a keep-alive handled late by another receive loop would have shown up by now.
        await peer.SendAsync(SipTestMessages.Ack);
        await Handler.NextAsync();
        Assert.Equal(SipParseStatus.Complete, options.Status);
        Assert.Equal(2, Handler.Count);
        Assert.Equal(2, Harness.Metrics.Total("calltracking.sip.messages.received", Name(Kind)));
    }

    [Fact]
    public async Task Many_messages_from_several_peers_at_once_all_arrive_from_the_right_source()
    {
        const int peers = 4;
        const int each = 50;
        var clients = new List<SipTestPeer>();
        for (var i = 0; i < peers; i++)
        {
            clients.Add(await ConnectAsync(Harness.Listener.LocalEndPoint));
        }

        try
        {
            await Task.WhenAll(clients.Select(c => Task.Run(async () =>
            {
                for (var i = 0; i < each; i++)
                {
                    await c.SendAsync(SipTestMessages.TwilioInvite);
                }
            })));

            var received = await Handler.TakeAsync(peers * each);
            Assert.All(received, r => Assert.Equal(SipParseStatus.Complete, r.Status));
            var bySource = received.GroupBy(r => r.Source.EndPoint).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(clients.Select(c => c.LocalEndPoint).OrderBy(e => e.Port), bySource.Keys.OrderBy(e => e.Port));
            Assert.All(bySource.Values, count => Assert.Equal(each, count));
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_handler_that_throws_costs_one_message_not_the_listener()
    {
        Handler.OnMessage = r =>
        {
            if (r.Text.StartsWith("OPTIONS ", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("a bug above the transport");
            }
        };
        await using var peer = await ConnectAsync(Harness.Listener.LocalEndPoint);

        await peer.SendAsync(SipTestMessages.Options);
        await Handler.NextAsync();
        await peer.SendAsync(SipTestMessages.Ack);

        Assert.StartsWith("ACK ", (await Handler.NextAsync()).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Counters_move_for_received_sent_and_parse_failures()
    {
        await using var peer = await ConnectAsync(Harness.Listener.LocalEndPoint);
        await peer.SendAsync(SipTestMessages.Options);
        var options = await Handler.NextAsync();
        Assert.True(Harness.Transports.TrySend(SipTestMessages.Trying100, options.Source));
        await peer.ReceiveMessageAsync();
        await peer.SendAsync(WithoutCallId(SipTestMessages.Options));
        await Handler.NextAsync();

        var transport = Name(Kind);
        Assert.Equal(2, Harness.Metrics.Total("calltracking.sip.messages.received", transport));

        // A stream transport counts a message as sent when its write completes, which may be just after the peer
        // has read it: wait for the counter (bounded) instead of racing it.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (Harness.Metrics.Total("calltracking.sip.messages.sent", transport) < 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Equal(1, Harness.Metrics.Total("calltracking.sip.messages.sent", transport));
        Assert.Equal(1, Harness.Metrics.Total("calltracking.sip.parse.failures", transport));
        Assert.Equal(0, Harness.Metrics.Total("calltracking.sip.send.failures", transport));
    }

    private protected static string Name(SipTransportKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>A message whose framing is sound but which lacks a mandatory header (RFC 3261 §8.1.1).</summary>
    private protected static byte[] WithoutCallId(byte[] message)
    {
        var lines = Encoding.ASCII.GetString(message).Split("\r\n");
        return Encoding.ASCII.GetBytes(string.Join("\r\n", lines.Where(l => !l.StartsWith("Call-ID:", StringComparison.Ordinal))));
    }
}
