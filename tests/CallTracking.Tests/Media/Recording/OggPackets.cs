using CallTracking.Media.Recording;

namespace CallTracking.Tests.Media.Recording;

/// <summary>A page as the tests see it, copied out of the file.</summary>
internal sealed record PageInfo(OggPageFlags Flags, long Granule, uint Serial, uint Sequence, byte[] SegmentTable, byte[] Body);

/// <summary>Splits a byte stream into pages and reassembles packets with <see cref="OggPageReader"/>.</summary>
internal static class OggPackets
{
    public static List<PageInfo> Pages(ReadOnlySpan<byte> file)
    {
        var pages = new List<PageInfo>();
        while (!file.IsEmpty)
        {
            var result = OggPageReader.TryRead(file, out var page, out int consumed);
            Assert.Equal(OggPageReadResult.Page, result);
            pages.Add(new PageInfo(page.Flags, page.GranulePosition, page.SerialNumber, page.SequenceNumber, page.SegmentTable.ToArray(), page.Body.ToArray()));
            file = file[consumed..];
        }

        return pages;
    }

    public static List<byte[]> Packets(IEnumerable<PageInfo> pages)
    {
        var packets = new List<byte[]>();
        var current = new List<byte>();
        foreach (var page in pages)
        {
            Assert.Equal(current.Count > 0, page.Flags.HasFlag(OggPageFlags.Continued));
            int offset = 0;
            foreach (byte lacing in page.SegmentTable)
            {
                current.AddRange(page.Body.AsSpan(offset, lacing).ToArray());
                offset += lacing;
                if (lacing < 255)
                {
                    packets.Add([.. current]);
                    current.Clear();
                }
            }
        }

        Assert.Empty(current);
        return packets;
    }
}
