using System.Text;

namespace CallTracking.Engine.Sip.Messages;

/// <summary>ASCII comparisons over header bytes with the RFC 3261 §7.3.1 case rules (token names are case-insensitive).</summary>
public static class AsciiSpanExtensions
{
    public static bool EqualsOrdinalIgnoreCase(this ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
        => Ascii.EqualsIgnoreCase(left, right);
}
