namespace CallTracking.Media.Rtp;

/// <summary>Why a datagram is not an RTP packet (RFC 3550 §5.1). Bad input is a value, not an exception.</summary>
public enum RtpParseError : byte
{
    None = 0,

    /// <summary>Shorter than the 12-byte fixed header.</summary>
    TooShort,

    /// <summary>Version field is not 2.</summary>
    BadVersion,

    /// <summary>The CSRC count says more identifiers than the datagram holds.</summary>
    CsrcListTruncated,

    /// <summary>The X bit is set but the extension header or its data does not fit.</summary>
    ExtensionTruncated,

    /// <summary>The P bit is set but the last octet's count is 0 or more than the bytes after the header.</summary>
    BadPadding,
}
