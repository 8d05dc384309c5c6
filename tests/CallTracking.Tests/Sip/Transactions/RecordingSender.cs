using System.Text;
using CallTracking.Engine.Sip.Transport;

namespace CallTracking.Tests.Sip.Transactions;

/// <summary>An <see cref="ISipSender"/> that records what was sent and when, and can be told to fail.</summary>
internal sealed class RecordingSender(Func<long> nowMs) : ISipSender
{
    private readonly Lock _gate = new();
    private readonly List<(string Text, long AtMs, SipRemote Remote)> _sent = [];

    public bool Fail { get; set; }

    public IReadOnlyList<(string Text, long AtMs, SipRemote Remote)> Sent
    {
        get
        {
            lock (_gate)
            {
                return _sent.ToArray();
            }
        }
    }

    public bool TrySend(ReadOnlyMemory<byte> message, in SipRemote remote)
    {
        if (Fail)
        {
            return false;
        }

        lock (_gate)
        {
            _sent.Add((Encoding.ASCII.GetString(message.Span), nowMs(), remote));
        }

        return true;
    }

    public long[] TimesOf(string text) => Sent.Where(s => s.Text == text).Select(s => s.AtMs).ToArray();

    public int CountOf(string text) => Sent.Count(s => s.Text == text);
}
