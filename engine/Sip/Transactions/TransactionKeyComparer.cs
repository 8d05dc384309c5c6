namespace CallTracking.Engine.Sip.Transactions;

/// <summary>
/// Compares stored keys with each other and with <see cref="TransactionKeyView"/>s, so that the
/// lookup of every received message allocates nothing. Hashing uses <see cref="HashCode"/>, which is
/// seeded per process: branches come from the network and must not be able to flood one bucket.
/// </summary>
internal sealed class TransactionKeyComparer
    : IEqualityComparer<TransactionKey>, IAlternateEqualityComparer<TransactionKeyView, TransactionKey>
{
    public static readonly TransactionKeyComparer Instance = new();

    private const int StackLimit = 256;

    public bool Equals(TransactionKey x, TransactionKey y) => x.Equals(y);

    public int GetHashCode(TransactionKey obj) => obj.GetHashCode();

    public bool Equals(TransactionKeyView alternate, TransactionKey other) => other.Matches(alternate);

    public int GetHashCode(TransactionKeyView alternate) => Hash(alternate);

    public TransactionKey Create(TransactionKeyView alternate) => TransactionKey.Create(alternate);

    internal static int Hash(in TransactionKeyView view)
    {
        var hash = new HashCode();
        AddLowered(ref hash, view.Branch);
        AddLowered(ref hash, view.SentBy);
        hash.Add((byte)view.Method);
        return hash.ToHashCode();
    }

    private static void AddLowered(ref HashCode hash, ReadOnlySpan<byte> value)
    {
        hash.Add(value.Length);
        if (value.Length <= StackLimit)
        {
            Span<byte> lowered = stackalloc byte[value.Length];
            for (var i = 0; i < value.Length; i++)
            {
                lowered[i] = Fold(value[i]);
            }

            hash.AddBytes(lowered);
            return;
        }

        foreach (var b in value)
        {
            hash.Add(Fold(b));
        }
    }

    /// <summary>Byte-wise equality folding only ASCII letters; other bytes (even non-ASCII) compare exactly.</summary>
    internal static bool EqualsIgnoreAsciiCase(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y)
    {
        if (x.Length != y.Length)
        {
            return false;
        }

        if (x.SequenceEqual(y))
        {
            return true;
        }

        for (var i = 0; i < x.Length; i++)
        {
            if (Fold(x[i]) != Fold(y[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static byte Fold(byte b) => b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b;
}
