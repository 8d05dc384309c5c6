using System.Text;

namespace CallTracking.Grpc.Protocol;

/// <summary>
/// The <c>grpc-message</c> value (PROTOCOL-HTTP2.md "Responses"): the UTF-8 of the text, percent-encoded —
/// every byte outside %x20-%x7E, and '%' itself, as %XX.
/// </summary>
public static class GrpcMessageText
{
    /// <summary>Percent-encodes <paramref name="text"/>; returns it unchanged when nothing needs encoding.</summary>
    public static string Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var plain = true;
        foreach (var c in text)
        {
            if (c is < ' ' or > '~' or '%')
            {
                plain = false;
                break;
            }
        }

        if (plain)
        {
            return text;
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        var builder = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (b is < 0x20 or > 0x7E or (byte)'%')
            {
                builder.Append('%').Append(HexDigit(b >> 4)).Append(HexDigit(b & 0xF));
            }
            else
            {
                builder.Append((char)b);
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// Decodes a received value. Invalid %-sequences pass through as they are: the spec says a decoder must not
    /// throw the message away for them.
    /// </summary>
    public static string Decode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Contains('%', StringComparison.Ordinal))
        {
            return value;
        }

        var bytes = new List<byte>(value.Length);
        var plainStart = 0;
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '%' && i + 2 < value.Length && HexValue(value[i + 1]) is int high && HexValue(value[i + 2]) is int low)
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(value[plainStart..i]));
                bytes.Add((byte)((high << 4) | low));
                i += 2;
                plainStart = i + 1;
            }
        }

        bytes.AddRange(Encoding.UTF8.GetBytes(value[plainStart..]));
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static char HexDigit(int value) => (char)(value < 10 ? '0' + value : 'A' + value - 10);

    private static int? HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'F' => c - 'A' + 10,
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => null,
    };
}
