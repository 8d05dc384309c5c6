using System.Globalization;

namespace CallTracking.Engine.Sip.Sdp;

/// <summary>An <c>a=rtpmap:</c> value (RFC 4566 §6.6): <c>101 telephone-event/8000</c>, <c>111 opus/48000/2</c>.</summary>
public readonly record struct SdpRtpMap(int PayloadType, string EncodingName, int ClockRate, int? Channels)
{
    public static bool TryParse(string? value, out SdpRtpMap rtpMap)
    {
        rtpMap = default;
        if (value is null)
        {
            return false;
        }

        var space = value.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || !TryParsePayloadType(value.AsSpan(0, space), out var payloadType))
        {
            return false;
        }

        var parts = value[(space + 1)..].Split('/');
        if (parts.Length is < 2 or > 3 || parts[0].Length == 0 || parts[0].Contains(' ', StringComparison.Ordinal)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var clockRate) || clockRate == 0)
        {
            return false;
        }

        int? channels = null;
        if (parts.Length == 3)
        {
            if (!int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count == 0)
            {
                return false;
            }

            channels = count;
        }

        rtpMap = new SdpRtpMap(payloadType, parts[0], clockRate, channels);
        return true;
    }

    /// <summary>RTP payload types are 7 bits (RFC 3550 §5.1).</summary>
    public static bool TryParsePayloadType(ReadOnlySpan<char> text, out int payloadType) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out payloadType) && payloadType <= 127;

    public override string ToString() => Channels is { } channels
        ? string.Create(CultureInfo.InvariantCulture, $"{PayloadType} {EncodingName}/{ClockRate}/{channels}")
        : string.Create(CultureInfo.InvariantCulture, $"{PayloadType} {EncodingName}/{ClockRate}");
}
