using System.Text;
using System.Threading.Channels;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Parsing;
using CallTracking.Engine.Sip.Transport;

namespace CallTracking.Tests.Sip.Transport;

/// <summary>An <see cref="ISipMessageHandler"/> that keeps a copy of every message and lets a test react inside the call.</summary>
internal sealed class RecordingHandler : ISipMessageHandler
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly Channel<ReceivedMessage> _received = Channel.CreateUnbounded<ReceivedMessage>();
    private int _count;

    /// <summary>Runs on the receiving thread after the message is recorded: reply synchronously, or throw.</summary>
    public Action<ReceivedMessage>? OnMessage { get; set; }

    public int Count => Volatile.Read(ref _count);

    public void OnReceived(SipMessage message, SipParseStatus status, SipParseError error, in SipRemote source, SipListener listener)
    {
        var received = new ReceivedMessage(Encoding.ASCII.GetString(message.Raw), status, error, source, listener);
        Interlocked.Increment(ref _count);
        _received.Writer.TryWrite(received);
        OnMessage?.Invoke(received);
    }

    public async Task<ReceivedMessage> NextAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        return await _received.Reader.ReadAsync(timeout.Token);
    }

    public async Task<List<ReceivedMessage>> TakeAsync(int count)
    {
        var all = new List<ReceivedMessage>(count);
        using var timeout = new CancellationTokenSource(Timeout);
        while (all.Count < count)
        {
            all.Add(await _received.Reader.ReadAsync(timeout.Token));
        }

        return all;
    }
}
