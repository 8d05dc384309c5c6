using System.Globalization;

namespace CallTracking.Media.Rtp;

/// <summary>
/// An inclusive UDP port range for RTP/RTCP pairs, e.g. <c>20000-29999</c>.
/// RTP takes the even port and RTCP the odd one above it (RFC 3550 §11), so the
/// range must start on an even port and hold at least one pair.
/// </summary>
public readonly record struct RtpPortRange
{
    /// <summary>Ports below this are privileged or well known; media never uses them.</summary>
    public const int LowestPort = 1024;

    public const int HighestPort = 65535;

    public RtpPortRange(int start, int end)
    {
        if (Validate(start, end) is { } error)
        {
            throw new ArgumentOutOfRangeException(nameof(start), error);
        }

        Start = start;
        End = end;
    }

    /// <summary>First port of the range; even.</summary>
    public int Start { get; }

    /// <summary>Last port of the range, inclusive.</summary>
    public int End { get; }

    /// <summary>How many RTP/RTCP pairs fit: RTP ports Start, Start+2, … while RTP+1 ≤ End.</summary>
    public int PairCount => (End - Start + 1) / 2;

    public bool ContainsRtpPort(int rtpPort) =>
        rtpPort >= Start && rtpPort + 1 <= End && ((rtpPort - Start) & 1) == 0;

    /// <summary>Parses <c>start-end</c>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string? text, out RtpPortRange range, out string? error)
    {
        range = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "expected start-end, e.g. 20000-29999";
            return false;
        }

        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0
            || !int.TryParse(text.AsSpan(0, dash).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            || !int.TryParse(text.AsSpan(dash + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var end))
        {
            error = "expected start-end, e.g. 20000-29999";
            return false;
        }

        error = Validate(start, end);
        if (error is not null)
        {
            return false;
        }

        range = new RtpPortRange(start, end);
        return true;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Start}-{End}");

    private static string? Validate(int start, int end)
    {
        if (start < LowestPort || end > HighestPort)
        {
            return string.Create(CultureInfo.InvariantCulture, $"must lie within {LowestPort}-{HighestPort}");
        }

        if (start >= end)
        {
            return "start must be below end";
        }

        // RFC 3550 §11: RTP uses an even port and RTCP the next higher odd port.
        if ((start & 1) != 0)
        {
            return "start must be even (RTP takes even ports, RTCP the odd port above)";
        }

        return null;
    }
}
