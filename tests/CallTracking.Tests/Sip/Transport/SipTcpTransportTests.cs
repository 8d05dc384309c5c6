using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Parsing;
using CallTracking.Engine.Sip.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallTracking.Tests.Sip.Transport;

/// <summary>What only a stream transport has: framing across writes, closing, outbound connections (RFC 3261 §18.3, §18.2.2).</summary>
public sealed class SipTcpTransportTests : IAsyncLifetime
{
    private static readonly byte[] BadRequest400 = SipTestMessages.Build("""
        SIP/2.0 400 Bad Request
        Via: SIP/2.0/TCP 54.172.60.2:5060;branch=z9hG4bKopt1
        From: <sip:ping@pstn.twilio.com>;tag=opt-1
        To: <sip:203.0.113.10:5060>;tag=x400
        Call-ID: options-1@54.172.60.2
        CSeq: 1 OPTIONS
        Content-Length: 0

        """, "");

    private readonly Meter _meter = new(SipTransportMetrics.MeterName);
    private readonly RecordingHandler _handler = new();
    private readonly MetricsRecorder _metrics;
    private readonly SipTcpTransport _transport;

    public SipTcpTransportTests()
    {
        _metrics = new MetricsRecorder(_meter);
        _transport = SipTcpTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0), _handler, new SipTransportMetrics(_meter), NullLogger.Instance);
        _transport.Start();
    }

    private IPEndPoint Server => _transport.Listener.LocalEndPoint;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _transport.DisposeAsync();
        _metrics.Dispose();
        _meter.Dispose();
    }

    [Fact]
    public async Task Two_messages_in_one_write_are_framed_apart()
    {
        await using var peer = await TcpTestPeer.ConnectAsync(Server);

        await peer.SendAsync((byte[])[.. SipTestMessages.TwilioInvite, .. SipTestMessages.Options]);

        var received = await _handler.TakeAsync(2);
        Assert.Equal(Encoding.ASCII.GetString(SipTestMessages.TwilioInvite), received[0].Text);
        Assert.Equal(Encoding.ASCII.GetString(SipTestMessages.Options), received[1].Text);
    }

    [Fact]
    public async Task A_message_written_one_byte_at_a_time_arrives_once_and_whole()
    {
        await using var peer = await TcpTestPeer.ConnectAsync(Server);

        await peer.SendByteByByteAsync(SipTestMessages.TwilioInvite);
        await peer.SendAsync(SipTestMessages.Ack);

        var received = await _handler.TakeAsync(2);
        Assert.Equal(SipParseStatus.Complete, received[0].Status);
        Assert.Equal(Encoding.ASCII.GetString(SipTestMessages.TwilioInvite), received[0].Text);
        Assert.StartsWith("ACK ", received[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task More_than_64_KiB_of_keep_alives_do_not_close_the_connection()
    {
        await using var peer = await TcpTestPeer.ConnectAsync(Server);
        var pings = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("\r\n\r\n", 20_000)));

        await peer.SendAsync(pings);
        await peer.SendAsync(SipTestMessages.Options);

        var options = await _handler.NextAsync();
        Assert.Equal(SipParseStatus.Complete, options.Status);
        Assert.Equal(1, _handler.Count);
    }

    [Fact]
    public async Task A_non_numeric_content_length_is_answered_then_the_connection_is_closed()
    {
        ReplyToInvalidWith400();
        await using var peer = await TcpTestPeer.ConnectAsync(Server);
        var bad = Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(SipTestMessages.Options).Replace("Content-Length: 0", "Content-Length: zero", StringComparison.Ordinal));

        await peer.SendAsync(bad);

        var received = await _handler.NextAsync();
        Assert.Equal(SipParseStatus.Invalid, received.Status);
        Assert.Equal(SipParseError.BadContentLength, received.Error);
        Assert.Equal(BadRequest400, await peer.ReceiveMessageAsync());
        Assert.Equal(0, await peer.ReadToEndAsync());

        // Our side lingers until the peer closes too, so its close is what ends the connection.
        await peer.DisposeAsync();
        await WaitUntil(() => _transport.ConnectionCount == 0);
    }

    [Fact]
    public async Task Headers_without_an_end_past_64_KiB_are_answered_then_the_connection_is_closed()
    {
        ReplyToInvalidWith400();
        await using var peer = await TcpTestPeer.ConnectAsync(Server);
        var endless = new StringBuilder("OPTIONS sip:203.0.113.10 SIP/2.0\r\n");
        while (endless.Length < 70_000)
        {
            endless.Append("X-Padding: ").Append('a', 100).Append("\r\n");
        }

        await peer.SendAsync(Encoding.ASCII.GetBytes(endless.ToString()));

        var received = await _handler.NextAsync();
        Assert.Equal(SipParseStatus.Invalid, received.Status);
        Assert.Equal(SipParseError.MessageTooLarge, received.Error);
        Assert.Equal(BadRequest400, await peer.ReceiveMessageAsync());
        Assert.Equal(0, await peer.ReadToEndAsync());
        Assert.Equal(1, _metrics.Total("calltracking.sip.parse.failures", "tcp"));
    }

    [Fact]
    public async Task A_send_without_a_connection_opens_one_reuses_it_and_reads_from_it()
    {
        using var far = new TcpListener(IPAddress.Loopback, 0);
        far.Start();
        var farEnd = (IPEndPoint)far.LocalEndpoint;
        var to = new SipRemote(SipTransportKind.Tcp, farEnd);

        Assert.True(_transport.TrySend(SipTestMessages.Ringing180, to));
        using var acceptTimeout = new CancellationTokenSource(RecordingHandler.Timeout);
        await using var peer = TcpTestPeer.Wrap(await far.AcceptSocketAsync(acceptTimeout.Token));
        Assert.Equal(SipTestMessages.Ringing180, await peer.ReceiveMessageAsync());

        Assert.True(_transport.TrySend(SipTestMessages.Ack, to));
        Assert.Equal(SipTestMessages.Ack, await peer.ReceiveMessageAsync());
        Assert.False(far.Pending());
        Assert.Equal(1, _transport.ConnectionCount);

        await peer.SendAsync(SipTestMessages.Ok200WithSdp);
        var response = await _handler.NextAsync();
        Assert.Equal(SipParseStatus.Complete, response.Status);
        Assert.Equal(farEnd, response.Source.EndPoint);
        Assert.NotEqual(0, response.Source.ConnectionId);
        Assert.Equal(0, _metrics.Total("calltracking.sip.connections.accepted"));
        Assert.Equal(1, _metrics.Total("calltracking.sip.connections.open"));
    }

    [Fact]
    public async Task A_peer_that_closes_is_removed_and_counted()
    {
        var peer = await TcpTestPeer.ConnectAsync(Server);
        await peer.SendAsync(SipTestMessages.Options);
        await _handler.NextAsync();
        Assert.Equal(1, _transport.ConnectionCount);
        Assert.Equal(1, _metrics.Total("calltracking.sip.connections.accepted"));
        Assert.Equal(1, _metrics.Total("calltracking.sip.connections.open"));

        await peer.DisposeAsync();

        await WaitUntil(() => _transport.ConnectionCount == 0);
        await WaitUntil(() => _metrics.Total("calltracking.sip.connections.open") == 0);
    }

    [Fact]
    public async Task Disposal_writes_what_is_queued_then_closes()
    {
        await using var peer = await TcpTestPeer.ConnectAsync(Server);
        await peer.SendAsync(SipTestMessages.Options);
        var options = await _handler.NextAsync();
        const int queued = 200;
        for (var i = 0; i < queued; i++)
        {
            Assert.True(_transport.TrySend(SipTestMessages.Ok200WithSdp, options.Source));
        }

        await _transport.DisposeAsync();

        for (var i = 0; i < queued; i++)
        {
            Assert.Equal(SipTestMessages.Ok200WithSdp, await peer.ReceiveMessageAsync());
        }

        Assert.Equal(0, await peer.ReadToEndAsync());
        Assert.False(_transport.TrySend(SipTestMessages.Ok200WithSdp, options.Source));
        Assert.Equal(queued, _metrics.Total("calltracking.sip.messages.sent", "tcp"));
    }

    [Fact]
    public async Task A_peer_that_never_reads_fills_the_queue_and_sends_are_refused_not_blocked()
    {
        await using var peer = await TcpTestPeer.ConnectAsync(Server, receiveBufferSize: 4096);
        await peer.SendAsync(SipTestMessages.Options);
        var options = await _handler.NextAsync();
        var message = new byte[16 * 1024];
        SipTestMessages.Options.CopyTo(message, 0);

        // The socket buffers fill (a few MiB on loopback), then the queue's 1024 slots: every send returns at once.
        var accepted = 0;
        var watch = Stopwatch.StartNew();
        while (_transport.TrySend(message, options.Source))
        {
            accepted++;
            Assert.True(accepted < 100_000, "the send queue never filled");
        }

        Assert.True(accepted >= SipTcpConnection.SendQueueCapacity);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Equal(1, _metrics.Total("calltracking.sip.send.failures", "tcp"));

        // The peer goes away with unread data (a RST): the stuck writer fails and the connection is removed.
        peer.Socket.LingerState = new LingerOption(true, 0);
        peer.Socket.Close();
        await WaitUntil(() => _transport.ConnectionCount == 0);
    }

    private void ReplyToInvalidWith400() => _handler.OnMessage = r =>
    {
        if (r.Status == SipParseStatus.Invalid)
        {
            // Synchronously from OnReceived, as the core does: the reply is queued before the connection closes.
            Assert.True(_transport.TrySend(BadRequest400, r.Source));
        }
    };

    private static async Task WaitUntil(Func<bool> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < RecordingHandler.Timeout, "condition not met in time");
            await Task.Delay(10);
        }
    }
}
