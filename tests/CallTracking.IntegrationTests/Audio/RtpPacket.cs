using System.Buffers.Binary;

namespace CallTracking.IntegrationTests.Audio;

/// <summary>An RTP packet (RFC 3550): the fixed header fields and the payload (after CSRCs, extension, padding).</summary>
public sealed record RtpPacket(bool Marker, byte PayloadType, ushort SequenceNumber, uint Timestamp, uint Ssrc, byte[] Payload)
{
    public const int HeaderLength = 12;

    /// <summary>Parses a UDP payload as RTP version 2; false when it is not one.</summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, out RtpPacket packet)
    {
        packet = null!;
        if (datagram.Length < HeaderLength || datagram[0] >> 6 != 2)
        {
            return false;
        }

        var padding = (datagram[0] & 0x20) != 0;
        var extension = (datagram[0] & 0x10) != 0;
        var csrcCount = datagram[0] & 0x0F;
        var offset = HeaderLength + (4 * csrcCount);
        if (extension)
        {
            if (datagram.Length < offset + 4)
            {
                return false;
            }

            offset += 4 + (4 * BinaryPrimitives.ReadUInt16BigEndian(datagram[(offset + 2)..]));
        }

        var end = datagram.Length;
        if (padding && end > offset)
        {
            end -= datagram[^1];
        }

        if (offset > end)
        {
            return false;
        }

        packet = new RtpPacket(
            (datagram[1] & 0x80) != 0,
            (byte)(datagram[1] & 0x7F),
            BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(datagram[8..]),
            datagram[offset..end].ToArray());
        return true;
    }

    /// <summary>The packet on the wire: a 12-byte header (no CSRC, no extension, no padding) and the payload.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[HeaderLength + Payload.Length];
        bytes[0] = 0x80;
        bytes[1] = (byte)((Marker ? 0x80 : 0) | (PayloadType & 0x7F));
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), SequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), Timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(8), Ssrc);
        Payload.CopyTo(bytes, HeaderLength);
        return bytes;
    }

    /// <summary>The RFC 4733 telephone-event in the payload, when it parses as one (check the payload type yourself).</summary>
    public TelephoneEvent? AsTelephoneEvent() => TelephoneEvent.TryParse(Payload, out var e) ? e : null;
}

/// <summary>An RFC 4733 named telephone event payload: event 0–9 digits, 10 '*', 11 '#', 12–15 A–D.</summary>
public sealed record TelephoneEvent(byte Event, bool End, byte Volume, ushort Duration)
{
    public char Digit => Event switch
    {
        <= 9 => (char)('0' + Event),
        10 => '*',
        11 => '#',
        <= 15 => (char)('A' + Event - 12),
        _ => '?',
    };

    public static bool TryParse(ReadOnlySpan<byte> payload, out TelephoneEvent telephoneEvent)
    {
        telephoneEvent = null!;
        if (payload.Length < 4)
        {
            return false;
        }

        telephoneEvent = new TelephoneEvent(payload[0], (payload[1] & 0x80) != 0, (byte)(payload[1] & 0x3F), BinaryPrimitives.ReadUInt16BigEndian(payload[2..]));
        return true;
    }

    public static byte EventOf(char digit) => digit switch
    {
        >= '0' and <= '9' => (byte)(digit - '0'),
        '*' => 10,
        '#' => 11,
        >= 'A' and <= 'D' => (byte)(digit - 'A' + 12),
        _ => throw new ArgumentOutOfRangeException(nameof(digit), digit, "Not a DTMF digit (0-9, *, #, A-D)."),
    };
}

/// <summary>Turns received or captured G.711 RTP back into PCM.</summary>
public static class RtpAudio
{
    /// <summary>
    /// Places each packet of payload type 0 or 8 (the law of the first such packet unless given)
    /// at its RTP timestamp relative to the earliest one; gaps stay silent, duplicates overwrite.
    /// Other payload types (telephone-event, comfort noise) are ignored.
    /// </summary>
    public static PcmAudio Decode(IEnumerable<RtpPacket> packets, G711Law? law = null)
    {
        ArgumentNullException.ThrowIfNull(packets);
        var audio = packets.Where(p => p.PayloadType is 0 or 8).ToList();
        if (audio.Count == 0)
        {
            return new PcmAudio([], 8000);
        }

        var chosen = law ?? G711.LawOf(audio[0].PayloadType);
        audio = audio.Where(p => p.PayloadType == G711.PayloadType(chosen)).ToList();
        var first = audio[0].Timestamp;
        // Signed distance from the first packet, so that a wrap of the 32-bit timestamp is harmless.
        var offsets = audio.Select(p => unchecked((int)(p.Timestamp - first))).ToList();
        var start = offsets.Min();
        var length = audio.Select((p, i) => offsets[i] - start + p.Payload.Length).Max();
        var samples = new short[length];
        for (var i = 0; i < audio.Count; i++)
        {
            G711.Decode(audio[i].Payload, chosen).CopyTo(samples, offsets[i] - start);
        }

        return new PcmAudio(samples, 8000);
    }
}
