using System.Globalization;

namespace CallTracking.Grpc.Protocol;

/// <summary>
/// The <c>grpc-timeout</c> header (PROTOCOL-HTTP2.md: Timeout → TimeoutValue TimeoutUnit, TimeoutValue →
/// {positive integer as ASCII string of at most 8 digits}, TimeoutUnit → H | M | S | m | u | n).
/// </summary>
public static class GrpcTimeout
{
    private const int MaxDigits = 8;

    /// <summary>Parses a timeout; false for anything the grammar does not allow (the caller ignores such a header).</summary>
    public static bool TryParse(ReadOnlySpan<char> value, out TimeSpan timeout)
    {
        timeout = default;
        if (value.Length < 2 || value.Length > MaxDigits + 1)
        {
            return false;
        }

        var digits = value[..^1];
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        var amount = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        // At most 99,999,999 of any unit: 99,999,999 H is about 11,400 years, inside TimeSpan's range.
        timeout = value[^1] switch
        {
            'H' => TimeSpan.FromTicks(amount * TimeSpan.TicksPerHour),
            'M' => TimeSpan.FromTicks(amount * TimeSpan.TicksPerMinute),
            'S' => TimeSpan.FromTicks(amount * TimeSpan.TicksPerSecond),
            'm' => TimeSpan.FromTicks(amount * TimeSpan.TicksPerMillisecond),
            'u' => TimeSpan.FromTicks(amount * TimeSpan.TicksPerMicrosecond),
            // A tick is 100 ns: round up so that a positive timeout never becomes zero.
            'n' => TimeSpan.FromTicks((amount + 99) / 100),
            _ => TimeSpan.MinValue,
        };
        return timeout != TimeSpan.MinValue;
    }
}
