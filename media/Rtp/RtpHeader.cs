namespace CallTracking.Media.Rtp;

/// <summary>The fields of an RTP header to write (RFC 3550 §5.1); see <see cref="RtpWriter"/>.</summary>
/// <param name="PayloadType">0–127.</param>
public readonly record struct RtpHeader(byte PayloadType, ushort SequenceNumber, uint Timestamp, uint Ssrc)
{
    public bool Marker { get; init; }

    /// <summary>Contributing sources, at most 15 (a mixer's inputs); empty for a plain stream.</summary>
    public ReadOnlyMemory<uint> Csrcs { get; init; }

    /// <summary>Write the X bit and a header extension of <see cref="ExtensionProfile"/> and <see cref="ExtensionData"/>.</summary>
    public bool HasExtension { get; init; }

    /// <summary>0xBEDE for RFC 8285 one-byte headers, 0x1000 for two-byte headers.</summary>
    public ushort ExtensionProfile { get; init; }

    /// <summary>Extension data without its 4-byte header; a multiple of 4 octets (RFC 3550 §5.3.1).</summary>
    public ReadOnlyMemory<byte> ExtensionData { get; init; }

    /// <summary>Padding octets to append, the count octet included (sets the P bit); 0 for none.</summary>
    public byte PaddingLength { get; init; }
}
