using System.Security.Cryptography;

namespace CallTracking.Engine.Sip.Core;

/// <summary>
/// Tags, branches and Call-IDs. RFC 3261 §19.3 asks for at least 32 random bits in a tag and a globally unique
/// Call-ID; we use 64 bits from the supplied source, which tests can make deterministic.
/// </summary>
public sealed class SipIdentifiers
{
    // RFC 3261 §8.1.1.7: every branch we create starts with the magic cookie.
    public const string BranchCookie = "z9hG4bK";

    private readonly Action<Span<byte>> _fill;

    public SipIdentifiers()
        : this(RandomNumberGenerator.Fill)
    {
    }

    public SipIdentifiers(Action<Span<byte>> fillRandom) => _fill = fillRandom ?? throw new ArgumentNullException(nameof(fillRandom));

    public string NewTag() => Hex(8);

    public string NewBranch() => BranchCookie + Hex(8);

    public string NewCallId() => Hex(16);

    public uint NewInitialCSeq()
    {
        // RFC 3261 §8.1.1.5: below 2^31; a small random start keeps refreshes of two dialogs distinct in traces.
        Span<byte> bytes = stackalloc byte[2];
        _fill(bytes);
        return 1u + (uint)(bytes[0] << 8 | bytes[1]);
    }

    /// <summary>RFC 3261 §14.2: a random Retry-After between 0 and 10 seconds, so two glaring peers do not retry in step.</summary>
    public int NextRetryAfterSeconds()
    {
        Span<byte> random = stackalloc byte[1];
        _fill(random);
        return random[0] % 11;
    }

    /// <summary>Random bytes from the same source, for ids that are not SIP tokens (SDP session ids).</summary>
    public void Fill(Span<byte> destination) => _fill(destination);

    private string Hex(int bytes)
    {
        Span<byte> random = stackalloc byte[bytes];
        _fill(random);
        return Convert.ToHexStringLower(random);
    }
}
