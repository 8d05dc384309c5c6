using System.Text;
using CallTracking.Engine.Sip.Messages;

namespace CallTracking.Engine.Sip.Transactions;

/// <summary>
/// The stored key of a transaction (see <see cref="TransactionKeyView"/> for the rules). Branch and
/// sent-by compare ASCII case-insensitively: they are tokens and host names (RFC 3261 §7.3.1, §19.1.4).
/// Sent-by is compared as written; "host" and "host:5060" are different keys.
/// </summary>
public readonly struct TransactionKey : IEquatable<TransactionKey>
{
    private readonly byte[]? _branch;
    private readonly byte[]? _sentBy;

    private TransactionKey(byte[] branch, byte[] sentBy, SipMethod method)
    {
        _branch = branch;
        _sentBy = sentBy;
        Method = method;
    }

    public ReadOnlySpan<byte> Branch => _branch;

    public ReadOnlySpan<byte> SentBy => _sentBy;

    public SipMethod Method { get; }

    /// <summary>Copies the slices of <paramref name="view"/> into a key that can be stored.</summary>
    public static TransactionKey Create(in TransactionKeyView view)
        => new(view.Branch.ToArray(), view.SentBy.ToArray(), view.Method);

    public static bool operator ==(TransactionKey left, TransactionKey right) => left.Equals(right);

    public static bool operator !=(TransactionKey left, TransactionKey right) => !left.Equals(right);

    public bool Equals(TransactionKey other) => Matches(new TransactionKeyView(other.Branch, other.SentBy, other.Method));

    /// <summary>True when <paramref name="view"/> names this transaction.</summary>
    public bool Matches(in TransactionKeyView view)
        => Method == view.Method
            && TransactionKeyComparer.EqualsIgnoreAsciiCase(Branch, view.Branch)
            && TransactionKeyComparer.EqualsIgnoreAsciiCase(SentBy, view.SentBy);

    public override bool Equals(object? obj) => obj is TransactionKey other && Equals(other);

    public override int GetHashCode() => TransactionKeyComparer.Hash(new TransactionKeyView(Branch, SentBy, Method));

    public override string ToString()
        => $"{Encoding.UTF8.GetString(Branch)} {Encoding.UTF8.GetString(SentBy)} {Method}";
}
