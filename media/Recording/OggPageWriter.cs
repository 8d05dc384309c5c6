using System.Buffers.Binary;

namespace CallTracking.Media.Recording;

/// <summary>
/// Packs the packets of ONE logical bitstream into Ogg pages (RFC 3533 §6) and
/// writes them to a <see cref="Stream"/>. Packets accumulate in the current page
/// until <see cref="FlushPage"/> or until the segment table is full; a packet that
/// does not fit continues on the next page. One page buffer is reused, so writing
/// a packet allocates nothing. Not thread-safe: one writer per stream.
/// </summary>
public sealed class OggPageWriter
{
    private const int MaxSegments = 255;

    // The page is assembled in place: the body starts after room for the largest
    // header, and the header is written right-aligned in front of the body when the
    // page ends, so the whole page goes to the stream in one Write.
    private const int BodyOffset = OggPage.HeaderSize + MaxSegments;

    private readonly Stream _output;
    private readonly uint _serialNumber;
    private readonly byte[] _page = new byte[OggPage.MaxSize];
    private readonly byte[] _segments = new byte[MaxSegments];

    private int _segmentCount;
    private int _bodyLength;
    private uint _sequenceNumber;
    private bool _beginningPending = true;
    private bool _pageStartsContinued;
    private bool _endOfStream;
    private long _pageGranule = -1;
    private long _lastGranule = -1;
    private long _bytesWritten;

    public OggPageWriter(Stream output, uint serialNumber)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _serialNumber = serialNumber;
    }

    public uint SerialNumber => _serialNumber;

    /// <summary>Pages written so far (the next page's sequence number).</summary>
    public uint PagesWritten => _sequenceNumber;

    /// <summary>Bytes of whole pages handed to the stream.</summary>
    public long BytesWritten => _bytesWritten;

    /// <summary>True once the page flagged end-of-stream has been written.</summary>
    public bool IsCompleted { get; private set; }

    /// <summary>True when the current page holds data not yet written.</summary>
    public bool HasPendingData => _segmentCount > 0;

    /// <summary>Granule position of the last packet completed (written or pending), -1 before any.</summary>
    public long LastGranulePosition => _lastGranule;

    /// <summary>
    /// Adds a packet to the current page. Pages that fill up on the way are written.
    /// With <paramref name="endOfStream"/> the page is written at once, flagged EOS,
    /// and the writer accepts nothing more.
    /// </summary>
    public void WritePacket(ReadOnlySpan<byte> packet, long granulePosition, bool endOfStream = false)
    {
        if (IsCompleted)
        {
            ThrowCompleted();
        }

        ReadOnlySpan<byte> rest = packet;
        while (true)
        {
            int free = MaxSegments - _segmentCount;
            if (free == 0)
            {
                WritePage();
                free = MaxSegments;
            }

            // A packet of n bytes takes n / 255 segments of 255 and one shorter final
            // segment (0 bytes when n is a multiple of 255): the short one marks its end.
            int needed = (rest.Length / 255) + 1;
            if (needed <= free)
            {
                Append(rest, needed);
                _pageGranule = granulePosition;
                _lastGranule = granulePosition;
                break;
            }

            // RFC 3533 §6: fill the page with 255-byte segments; the packet goes on
            // in the next page, which is flagged "continued".
            int take = free * 255;
            Append(rest[..take], free);
            rest = rest[take..];
            WritePage();
            _pageStartsContinued = true;
        }

        if (endOfStream)
        {
            _endOfStream = true;
            WritePage();
        }
    }

    /// <summary>
    /// Ends the current page now and writes it to the stream (not flushing the
    /// stream). Does nothing when the page is empty.
    /// </summary>
    public void FlushPage()
    {
        if (_segmentCount > 0)
        {
            WritePage();
        }
    }

    /// <summary>
    /// Ends the stream with an EOS page. When packets are pending they go on that
    /// page; otherwise the EOS page carries no packet and repeats the last granule
    /// position, so a reader still learns where the stream ends.
    /// </summary>
    public void WriteEndOfStream()
    {
        if (IsCompleted)
        {
            return;
        }

        _endOfStream = true;
        if (_segmentCount == 0)
        {
            _pageGranule = _lastGranule;
        }

        WritePage();
    }

    /// <summary>Ends the current page and flushes the stream, so what was written survives a crash of this process.</summary>
    public void Flush()
    {
        FlushPage();
        _output.Flush();
    }

    private void Append(ReadOnlySpan<byte> data, int segmentCount)
    {
        data.CopyTo(_page.AsSpan(BodyOffset + _bodyLength));
        _bodyLength += data.Length;
        int remaining = data.Length;
        for (int i = 0; i < segmentCount; i++)
        {
            int lacing = Math.Min(remaining, 255);
            _segments[_segmentCount++] = (byte)lacing;
            remaining -= lacing;
        }
    }

    private void WritePage()
    {
        int headerLength = OggPage.HeaderSize + _segmentCount;
        int start = BodyOffset - headerLength;
        Span<byte> header = _page.AsSpan(start, headerLength);

        var flags = OggPageFlags.None;
        if (_pageStartsContinued)
        {
            flags |= OggPageFlags.Continued;
        }

        if (_beginningPending)
        {
            flags |= OggPageFlags.BeginningOfStream;
        }

        if (_endOfStream)
        {
            flags |= OggPageFlags.EndOfStream;
        }

        "OggS"u8.CopyTo(header);
        header[4] = 0;
        header[5] = (byte)flags;
        BinaryPrimitives.WriteInt64LittleEndian(header[6..], _pageGranule);
        BinaryPrimitives.WriteUInt32LittleEndian(header[14..], _serialNumber);
        BinaryPrimitives.WriteUInt32LittleEndian(header[18..], _sequenceNumber);
        BinaryPrimitives.WriteUInt32LittleEndian(header[OggPage.CrcOffset..], 0);
        header[26] = (byte)_segmentCount;
        _segments.AsSpan(0, _segmentCount).CopyTo(header[OggPage.HeaderSize..]);

        int pageLength = headerLength + _bodyLength;
        uint crc = OggCrc.Compute(_page.AsSpan(start, pageLength));
        BinaryPrimitives.WriteUInt32LittleEndian(header[OggPage.CrcOffset..], crc);

        _output.Write(_page, start, pageLength);
        _bytesWritten += pageLength;

        _sequenceNumber++;
        _beginningPending = false;
        _pageStartsContinued = false;
        _segmentCount = 0;
        _bodyLength = 0;
        _pageGranule = -1;
        if (_endOfStream)
        {
            IsCompleted = true;
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowCompleted() =>
        throw new InvalidOperationException("The logical stream has ended (EOS page written); no more packets can be added.");
}
