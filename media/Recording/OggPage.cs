using System.Buffers.Binary;

namespace CallTracking.Media.Recording;

/// <summary>
/// A view over one Ogg page held in memory (RFC 3533 §6). Produced by
/// <see cref="OggPageReader"/>; copies nothing.
/// </summary>
public readonly ref struct OggPage
{
    /// <summary>Bytes before the segment table: "OggS", version, flags, granule, serial, sequence, CRC, count.</summary>
    public const int HeaderSize = 27;

    /// <summary>Header, the largest segment table and 255 segments of 255 bytes.</summary>
    public const int MaxSize = HeaderSize + 255 + (255 * 255);

    internal const int CrcOffset = 22;

    public OggPage(ReadOnlySpan<byte> bytes)
    {
        Bytes = bytes;
    }

    /// <summary>The whole page: header, segment table and body.</summary>
    public ReadOnlySpan<byte> Bytes { get; }

    public byte Version => Bytes[4];

    public OggPageFlags Flags => (OggPageFlags)Bytes[5];

    /// <summary>Codec-defined position at the end of the last packet completed on the page; -1 if none completes.</summary>
    public long GranulePosition => BinaryPrimitives.ReadInt64LittleEndian(Bytes[6..]);

    public uint SerialNumber => BinaryPrimitives.ReadUInt32LittleEndian(Bytes[14..]);

    public uint SequenceNumber => BinaryPrimitives.ReadUInt32LittleEndian(Bytes[18..]);

    public uint Checksum => BinaryPrimitives.ReadUInt32LittleEndian(Bytes[CrcOffset..]);

    /// <summary>The lacing values: a value below 255 ends a packet.</summary>
    public ReadOnlySpan<byte> SegmentTable => Bytes.Slice(HeaderSize, Bytes[26]);

    public ReadOnlySpan<byte> Body => Bytes[(HeaderSize + Bytes[26])..];

    /// <summary>Recomputes the CRC with the checksum field taken as zero.</summary>
    public uint ComputeChecksum()
    {
        ReadOnlySpan<byte> zero = [0, 0, 0, 0];
        uint crc = OggCrc.Update(0, Bytes[..CrcOffset]);
        crc = OggCrc.Update(crc, zero);
        return OggCrc.Update(crc, Bytes[(CrcOffset + 4)..]);
    }
}
