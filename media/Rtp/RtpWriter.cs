using System.Buffers.Binary;

namespace CallTracking.Media.Rtp;

/// <summary>Writes RTP packets (RFC 3550 §5.1) into a caller's buffer; allocates nothing.</summary>
public static class RtpWriter
{
    /// <summary>Bytes <see cref="Write"/> needs for this header and a payload of <paramref name="payloadLength"/> octets.</summary>
    /// <exception cref="ArgumentException">The header cannot be written (see <see cref="Write"/>).</exception>
    public static int GetLength(in RtpHeader header, int payloadLength)
    {
        Validate(header);
        ArgumentOutOfRangeException.ThrowIfNegative(payloadLength);
        int length = RtpPacket.FixedHeaderLength + (4 * header.Csrcs.Length) + payloadLength + header.PaddingLength;
        if (header.HasExtension)
        {
            length += 4 + header.ExtensionData.Length;
        }

        return length;
    }

    /// <summary>Writes header, payload and padding at the start of <paramref name="destination"/>.</summary>
    /// <returns>
    /// The bytes written, or -1 when <paramref name="destination"/> is too small; nothing is
    /// written then. A short buffer is the caller's sizing decision, so it is a value, not an exception.
    /// </returns>
    /// <exception cref="ArgumentException">
    /// The header is not writable: payload type above 127, more than 15 CSRCs, extension data not a
    /// multiple of 4 octets or over 65,535 words. These are bugs in the caller.
    /// </exception>
    public static int Write(Span<byte> destination, in RtpHeader header, ReadOnlySpan<byte> payload)
    {
        int length = GetLength(header, payload.Length);
        if (length > destination.Length)
        {
            return -1;
        }

        ReadOnlySpan<uint> csrcs = header.Csrcs.Span;
        int offset = RtpPacket.FixedHeaderLength + (4 * csrcs.Length);

        // Payload first: if the caller built it in place right after the header, it moves before
        // anything overwrites it (CopyTo handles the overlap).
        int payloadOffset = offset + (header.HasExtension ? 4 + header.ExtensionData.Length : 0);
        payload.CopyTo(destination[payloadOffset..]);

        destination[0] = (byte)((RtpPacket.Version << 6)
            | (header.PaddingLength != 0 ? 0x20 : 0)
            | (header.HasExtension ? 0x10 : 0)
            | csrcs.Length);
        destination[1] = (byte)((header.Marker ? 0x80 : 0) | header.PayloadType);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], header.SequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], header.Timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], header.Ssrc);
        for (int i = 0; i < csrcs.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[(RtpPacket.FixedHeaderLength + (4 * i))..], csrcs[i]);
        }

        if (header.HasExtension)
        {
            ReadOnlySpan<byte> data = header.ExtensionData.Span;
            BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], header.ExtensionProfile);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], (ushort)(data.Length / 4));
            data.CopyTo(destination[(offset + 4)..]);
        }

        if (header.PaddingLength != 0)
        {
            int paddingOffset = payloadOffset + payload.Length;
            destination.Slice(paddingOffset, header.PaddingLength - 1).Clear();
            destination[paddingOffset + header.PaddingLength - 1] = header.PaddingLength;
        }

        return length;
    }

    private static void Validate(in RtpHeader header)
    {
        if (header.PayloadType > 127)
        {
            ThrowHelpers.ThrowArgument(nameof(header), "The payload type is 7 bits (0-127).");
        }

        if (header.Csrcs.Length > RtpPacket.MaxCsrcCount)
        {
            ThrowHelpers.ThrowArgument(nameof(header), "An RTP header holds at most 15 CSRCs.");
        }

        int extensionLength = header.ExtensionData.Length;
        if (!header.HasExtension && extensionLength != 0)
        {
            ThrowHelpers.ThrowArgument(nameof(header), "Extension data given without HasExtension.");
        }

        if ((extensionLength & 3) != 0 || extensionLength / 4 > ushort.MaxValue)
        {
            ThrowHelpers.ThrowArgument(nameof(header), "Extension data must be a multiple of 4 octets, at most 65,535 words (RFC 3550 §5.3.1).");
        }
    }
}
