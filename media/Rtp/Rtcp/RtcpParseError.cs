namespace CallTracking.Media.Rtp.Rtcp;

/// <summary>Why an RTCP packet was rejected (RFC 3550 §6, A.2). Bad input is a value, not an exception.</summary>
public enum RtcpParseError : byte
{
    None = 0,

    /// <summary>Fewer than the 4 octets of a common header left.</summary>
    TooShort,

    /// <summary>Version field is not 2.</summary>
    BadVersion,

    /// <summary>The length field reaches past the end of the datagram.</summary>
    LengthExceedsDatagram,

    /// <summary>The P bit is set but the last octet's count is 0 or more than the packet's content.</summary>
    BadPadding,

    /// <summary>The packet is not of the type the typed view reads.</summary>
    WrongType,

    /// <summary>The count field announces more report blocks, chunks or SSRCs than the length holds.</summary>
    CountExceedsLength,

    /// <summary>An SDES item or chunk, or a BYE reason, runs past the end of the packet.</summary>
    ItemTruncated,
}
