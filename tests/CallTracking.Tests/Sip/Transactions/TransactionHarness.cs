using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Transactions;
using CallTracking.Engine.Sip.Transport;
using Microsoft.Extensions.Time.Testing;

namespace CallTracking.Tests.Sip.Transactions;

/// <summary>A transaction table on a fake clock with a recording sender and TU. Times are ms since creation.</summary>
internal sealed class TransactionHarness : IDisposable
{
    public const string SentBy = "198.51.100.7:5060";

    public static readonly SipRemote Udp = new(SipTransportKind.Udp, new IPEndPoint(IPAddress.Parse("198.51.100.7"), 5060));
    public static readonly SipRemote Tcp = new(SipTransportKind.Tcp, new IPEndPoint(IPAddress.Parse("198.51.100.7"), 5060), 7);

    private readonly DateTimeOffset _start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public TransactionHarness(SipTimerSettings? settings = null)
    {
        Time = new FakeTimeProvider(_start);
        Sender = new RecordingSender(() => NowMs);
        User = new RecordingUser(() => NowMs);
        Meter = new Meter("CallTracking.Tests.Transactions." + Guid.NewGuid());
        Table = new TransactionTable(Sender, User, Time, settings ?? SipTimerSettings.Default, Meter);
    }

    public FakeTimeProvider Time { get; }

    public RecordingSender Sender { get; }

    public RecordingUser User { get; }

    public Meter Meter { get; }

    public TransactionTable Table { get; }

    public long NowMs => (long)(Time.GetUtcNow() - _start).TotalMilliseconds;

    public static byte[] Bytes(string text) => Encoding.ASCII.GetBytes(text);

    public static SipRemote Remote(bool reliable) => reliable ? Tcp : Udp;

    /// <summary>Steps the clock 1 ms at a time so every timer fires at its own instant.</summary>
    public void AdvanceTo(long ms)
    {
        while (NowMs < ms)
        {
            Time.Advance(TimeSpan.FromMilliseconds(1));
        }
    }

    public ClientInviteTransaction StartInvite(SipRemote remote, string branch = "z9hG4bK-c1")
        => Table.StartClientInvite(Bytes(branch), remote, Bytes("INVITE"), (code, _) => Bytes($"ACK {code}"), userState: null);

    public ClientNonInviteTransaction StartOptions(SipRemote remote, string branch = "z9hG4bK-c2")
        => Table.StartClientNonInvite(Bytes(branch), SipMethod.Options, remote, Bytes("OPTIONS"), userState: null);

    public bool Respond(int statusCode, SipMethod cseqMethod = SipMethod.Invite, string branch = "z9hG4bK-c1", object? message = null)
        => Table.ReceiveResponse(TransactionKeyView.ForClient(Bytes(branch), cseqMethod), statusCode, message);

    public ServerInviteTransaction CreateServerInvite(SipRemote remote, string branch = "z9hG4bK-s1", string sentBy = SentBy)
        => Table.CreateServerInvite(
            TransactionKeyView.ForServer(Bytes(branch), Bytes(sentBy), SipMethod.Invite), remote, Bytes("100 Trying"), null, out _);

    public ServerNonInviteTransaction CreateServerNonInvite(
        SipRemote remote, SipMethod method = SipMethod.Options, string branch = "z9hG4bK-s2", string sentBy = SentBy)
        => Table.CreateServerNonInvite(TransactionKeyView.ForServer(Bytes(branch), Bytes(sentBy), method), remote, null, out _);

    public RequestDisposition Receive(SipMethod method, string branch = "z9hG4bK-s1", string sentBy = SentBy, object? message = null)
        => Table.ReceiveRequest(TransactionKeyView.ForServer(Bytes(branch), Bytes(sentBy), method), message);

    public void Dispose()
    {
        Table.Dispose();
        Meter.Dispose();
    }
}
