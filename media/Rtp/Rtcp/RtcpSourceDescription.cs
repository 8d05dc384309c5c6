using System.Buffers.Binary;

namespace CallTracking.Media.Rtp.Rtcp;

/// <summary>
/// A view of an SDES packet (RFC 3550 §6.5): <c>count</c> chunks, each an SSRC/CSRC followed by
/// type-length-value items, ended by a null octet and padded to a 32-bit boundary.
/// <see cref="TryParse"/> walks every chunk once, so the enumerator never meets a truncated item.
/// </summary>
public readonly ref struct RtcpSourceDescription
{
    private readonly ReadOnlySpan<byte> _content;

    private RtcpSourceDescription(ReadOnlySpan<byte> content, int chunkCount)
    {
        _content = content;
        ChunkCount = chunkCount;
    }

    public int ChunkCount { get; }

    /// <summary>Every item of every chunk, in order; End items are not reported.</summary>
    public Enumerator GetEnumerator() => new(_content, ChunkCount);

    /// <summary>The first CNAME in the packet, and the source it names.</summary>
    public bool TryGetCanonicalName(out uint ssrc, out ReadOnlySpan<byte> cname)
    {
        foreach (RtcpSdesItem item in this)
        {
            if (item.Type == RtcpSdesItemType.CanonicalName)
            {
                ssrc = item.Ssrc;
                cname = item.Value;
                return true;
            }
        }

        ssrc = 0;
        cname = default;
        return false;
    }

    public static bool TryParse(RtcpPacket packet, out RtcpSourceDescription description, out RtcpParseError error)
    {
        description = default;
        if (packet.PacketType != RtcpPacketType.SourceDescription)
        {
            error = RtcpParseError.WrongType;
            return false;
        }

        ReadOnlySpan<byte> content = packet.Content;
        var walker = new Enumerator(content, packet.Count);
        while (walker.MoveNext())
        {
        }

        if (walker.Error != RtcpParseError.None)
        {
            error = walker.Error;
            return false;
        }

        description = new RtcpSourceDescription(content, packet.Count);
        error = RtcpParseError.None;
        return true;
    }

    public ref struct Enumerator
    {
        private readonly ReadOnlySpan<byte> _content;
        private int _chunksLeft;
        private int _offset;
        private uint _ssrc;
        private bool _inChunk;
        private RtcpSdesItem _current;

        internal Enumerator(ReadOnlySpan<byte> content, int chunkCount)
        {
            _content = content;
            _chunksLeft = chunkCount;
        }

        public readonly RtcpSdesItem Current => _current;

        internal RtcpParseError Error { get; private set; }

        public bool MoveNext()
        {
            while (true)
            {
                if (!_inChunk)
                {
                    if (_chunksLeft == 0)
                    {
                        return false;
                    }

                    if (_offset + 4 > _content.Length)
                    {
                        return Fail(RtcpParseError.CountExceedsLength);
                    }

                    _ssrc = BinaryPrimitives.ReadUInt32BigEndian(_content[_offset..]);
                    _offset += 4;
                    _chunksLeft--;
                    _inChunk = true;
                }

                if (_offset >= _content.Length)
                {
                    return Fail(RtcpParseError.ItemTruncated);
                }

                var type = (RtcpSdesItemType)_content[_offset];
                if (type == RtcpSdesItemType.End)
                {
                    // The null octet ends the chunk; the next chunk starts at the next 32-bit boundary.
                    _offset = (_offset + 4) & ~3;
                    _inChunk = false;
                    continue;
                }

                if (_offset + 2 > _content.Length || _offset + 2 + _content[_offset + 1] > _content.Length)
                {
                    return Fail(RtcpParseError.ItemTruncated);
                }

                int length = _content[_offset + 1];
                _current = new RtcpSdesItem(_ssrc, type, _content.Slice(_offset + 2, length));
                _offset += 2 + length;
                return true;
            }
        }

        private bool Fail(RtcpParseError error)
        {
            Error = error;
            _chunksLeft = 0;
            _inChunk = false;
            _current = default;
            return false;
        }
    }
}
