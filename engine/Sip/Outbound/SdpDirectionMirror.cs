using System.Globalization;
using System.Text;

namespace CallTracking.Engine.Sip.Outbound;

/// <summary>
/// The default answer to a re-INVITE on the outbound leg when call control gives none: the SDP we last sent, with
/// its direction mirrored to the offer's (RFC 3264 §6.1: sendonly is answered recvonly, recvonly sendonly,
/// inactive inactive, sendrecv sendrecv) and the o= version incremented (§8).
/// </summary>
public static class SdpDirectionMirror
{
    public static ReadOnlyMemory<byte> Answer(ReadOnlyMemory<byte> lastSent, ReadOnlyMemory<byte> offer)
    {
        var offerText = Encoding.ASCII.GetString(offer.Span);
        var direction = "sendrecv";
        foreach (var line in offerText.Split('\n'))
        {
            var trimmed = line.TrimEnd('\r');
            direction = trimmed switch
            {
                "a=sendonly" => "recvonly",
                "a=recvonly" => "sendonly",
                "a=inactive" => "inactive",
                "a=sendrecv" => "sendrecv",
                _ => direction,
            };
        }

        var builder = new StringBuilder();
        foreach (var line in Encoding.ASCII.GetString(lastSent.Span).Split('\n'))
        {
            var trimmed = line.TrimEnd('\r');
            if (trimmed.Length == 0 || trimmed is "a=sendonly" or "a=recvonly" or "a=inactive" or "a=sendrecv")
            {
                continue;
            }

            builder.Append(trimmed.StartsWith("o=", StringComparison.Ordinal) ? IncrementVersion(trimmed) : trimmed).Append("\r\n");
        }

        builder.Append("a=").Append(direction).Append("\r\n");
        return Encoding.ASCII.GetBytes(builder.ToString());
    }

    private static string IncrementVersion(string origin)
    {
        var parts = origin.Split(' ');
        if (parts.Length >= 3 && ulong.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            parts[2] = (version + 1).ToString(CultureInfo.InvariantCulture);
        }

        return string.Join(' ', parts);
    }
}
