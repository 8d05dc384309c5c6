namespace CallTracking.Media.Rtp.Rtcp;

/// <summary>
/// Walks the packets of an RTCP compound datagram (RFC 3550 §6.1) without copying:
/// <code>
/// var reader = new RtcpCompoundReader(datagram);
/// while (reader.MoveNext()) { switch (reader.Current.PacketType) { … } }
/// if (reader.Error != RtcpParseError.None) { /* count and drop */ }
/// </code>
/// A malformed packet stops the walk with <see cref="Error"/> set; the packets before it were sound.
/// </summary>
public ref struct RtcpCompoundReader
{
    private readonly ReadOnlySpan<byte> _datagram;
    private int _offset;
    private RtcpPacket _current;
    private RtcpParseError _error;

    public RtcpCompoundReader(ReadOnlySpan<byte> datagram)
    {
        _datagram = datagram;
    }

    /// <summary>The packet <see cref="MoveNext"/> moved to.</summary>
    public readonly RtcpPacket Current => _current;

    /// <summary>Why the walk stopped early; <see cref="RtcpParseError.None"/> when it reached the end.</summary>
    public readonly RtcpParseError Error => _error;

    /// <summary>Octets read so far: the end of <see cref="Current"/>.</summary>
    public readonly int Consumed => _offset;

    public bool MoveNext()
    {
        if (_error != RtcpParseError.None || _offset == _datagram.Length)
        {
            _current = default;
            return false;
        }

        if (!RtcpPacket.TryRead(_datagram[_offset..], out _current, out _error))
        {
            return false;
        }

        _offset += _current.Length;
        return true;
    }

    /// <summary>
    /// RFC 3550 A.2 validity of a whole compound datagram: every packet well formed, the first one
    /// an SR or RR without padding, and the lengths adding up to the datagram exactly.
    /// </summary>
    public static RtcpParseError Validate(ReadOnlySpan<byte> datagram)
    {
        var reader = new RtcpCompoundReader(datagram);
        bool first = true;
        while (reader.MoveNext())
        {
            RtcpPacket packet = reader.Current;
            if (first && (packet.HasPadding || packet.PacketType is not (RtcpPacketType.SenderReport or RtcpPacketType.ReceiverReport)))
            {
                return RtcpParseError.WrongType;
            }

            // RFC 3550 §6.4.1: only the last packet of a compound may be padded.
            if (packet.HasPadding && reader.Consumed != datagram.Length)
            {
                return RtcpParseError.BadPadding;
            }

            first = false;
        }

        return first && reader.Error == RtcpParseError.None ? RtcpParseError.TooShort : reader.Error;
    }
}
