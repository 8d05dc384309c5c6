using System.Buffers;
using System.Net;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Parsing;
using CallTracking.Engine.Sip.Transport;

namespace CallTracking.Tests.Sip.Core;

/// <summary>A transport that keeps every message the core sends, parsed, with where it went.</summary>
internal sealed class RecordingTransport : ISipTransport, IDisposable
{
    private readonly Lock _lock = new();
    private readonly List<(SipMessage Message, SipRemote Remote)> _sent = [];

    public RecordingTransport(SipListener listener) => Listener = listener;

    public SipListener Listener { get; }

    public IReadOnlyList<(SipMessage Message, SipRemote Remote)> Sent
    {
        get
        {
            lock (_lock)
            {
                return [.. _sent];
            }
        }
    }

    public SipListener? ListenerFor(in SipRemote remote) => Listener;

    public bool TrySend(ReadOnlyMemory<byte> message, in SipRemote remote)
    {
        var parsed = new SipMessage();
        var status = SipParser.TryParse(new ReadOnlySequence<byte>(message), isDatagram: true, parsed, out _, out var error);
        Assert.True(status == SipParseStatus.Complete, $"the core sent a message that does not parse ({error}):\n{System.Text.Encoding.ASCII.GetString(message.Span)}");
        lock (_lock)
        {
            _sent.Add((parsed, remote));
        }

        return true;
    }

    public IReadOnlyList<SipMessage> Responses(int status) => [.. Sent.Where(s => s.Message.IsResponse && s.Message.StatusCode == status).Select(s => s.Message)];

    public IReadOnlyList<(SipMessage Message, SipRemote Remote)> Requests(SipMethod method) => [.. Sent.Where(s => s.Message.IsRequest && s.Message.Method == method)];

    public void Clear()
    {
        lock (_lock)
        {
            foreach (var (message, _) in _sent)
            {
                message.Dispose();
            }

            _sent.Clear();
        }
    }

    public void Dispose() => Clear();

    public static SipListener UdpListener { get; } = new(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 5060));
}
