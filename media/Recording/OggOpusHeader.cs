using System.Buffers.Binary;
using System.Text;

namespace CallTracking.Media.Recording;

/// <summary>Builds the two Ogg Opus header packets, OpusHead and OpusTags (RFC 7845 §5).</summary>
public static class OggOpusHeader
{
    /// <summary>Length of an identification header with channel mapping family 0.</summary>
    public const int OpusHeadLength = 19;

    /// <summary>RFC 7845 §5.1: version 1, mapping family 0 (mono or stereo, no mapping table).</summary>
    public static byte[] BuildOpusHead(int channels, int preSkip, int inputSampleRate, short outputGainQ8 = 0)
    {
        if (channels is not (1 or 2))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Channel mapping family 0 carries 1 or 2 channels.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(preSkip);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(preSkip, ushort.MaxValue);
        ArgumentOutOfRangeException.ThrowIfNegative(inputSampleRate);

        var head = new byte[OpusHeadLength];
        "OpusHead"u8.CopyTo(head);
        head[8] = 1;
        head[9] = (byte)channels;
        BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(10), (ushort)preSkip);
        BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(12), (uint)inputSampleRate);
        BinaryPrimitives.WriteInt16LittleEndian(head.AsSpan(16), outputGainQ8);
        head[18] = 0;
        return head;
    }

    /// <summary>
    /// RFC 7845 §5.2: "OpusTags", the vendor string, then user comments as UTF-8
    /// "NAME=value" strings, each prefixed by its 32-bit little-endian length.
    /// </summary>
    public static byte[] BuildOpusTags(string vendor, IEnumerable<KeyValuePair<string, string>> comments)
    {
        ArgumentNullException.ThrowIfNull(vendor);
        ArgumentNullException.ThrowIfNull(comments);

        var encoded = new List<byte[]>();
        foreach (var (name, value) in comments)
        {
            // RFC 7845 §5.2 (after Vorbis comments): field names are printable ASCII
            // 0x20-0x7D except '='.
            if (name.Length == 0 || name.Any(c => c is < (char)0x20 or > (char)0x7D or '='))
            {
                throw new ArgumentException($"Tag name '{name}' is not a valid comment field name.", nameof(comments));
            }

            encoded.Add(Encoding.UTF8.GetBytes(name + "=" + value));
        }

        byte[] vendorBytes = Encoding.UTF8.GetBytes(vendor);
        int length = 8 + 4 + vendorBytes.Length + 4 + encoded.Sum(c => 4 + c.Length);
        var tags = new byte[length];
        Span<byte> span = tags;
        "OpusTags"u8.CopyTo(span);
        span = span[8..];
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)vendorBytes.Length);
        vendorBytes.CopyTo(span[4..]);
        span = span[(4 + vendorBytes.Length)..];
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)encoded.Count);
        span = span[4..];
        foreach (byte[] comment in encoded)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)comment.Length);
            comment.CopyTo(span[4..]);
            span = span[(4 + comment.Length)..];
        }

        return tags;
    }
}
