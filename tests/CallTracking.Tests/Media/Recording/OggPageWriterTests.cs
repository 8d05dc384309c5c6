using CallTracking.Media.Recording;

namespace CallTracking.Tests.Media.Recording;

public sealed class OggPageWriterTests
{
    private const uint Serial = 0x1234_5678;

    private static byte[] Packet(int length, int seed)
    {
        var packet = new byte[length];
        new Random(seed).NextBytes(packet);
        return packet;
    }

    [Theory]
    [InlineData(0, new byte[] { 0 })]
    [InlineData(1, new byte[] { 1 })]
    [InlineData(254, new byte[] { 254 })]
    [InlineData(255, new byte[] { 255, 0 })]
    [InlineData(256, new byte[] { 255, 1 })]
    [InlineData(510, new byte[] { 255, 255, 0 })]
    public void Lacing_values_split_a_packet_into_255_byte_segments_and_a_shorter_last_one(int length, byte[] expected)
    {
        using var output = new MemoryStream();
        var writer = new OggPageWriter(output, Serial);
        byte[] packet = Packet(length, length);
        writer.WritePacket(packet, 960);
        writer.FlushPage();

        var page = Assert.Single(OggPackets.Pages(output.ToArray()));
        Assert.Equal(expected, page.SegmentTable);
        Assert.Equal(packet, page.Body);
        Assert.Equal(960, page.Granule);
        Assert.Equal(OggPageFlags.BeginningOfStream, page.Flags);
    }

    [Fact]
    public void A_70000_byte_packet_spans_two_pages_the_first_without_granule_the_second_continued()
    {
        using var output = new MemoryStream();
        var writer = new OggPageWriter(output, Serial);
        byte[] packet = Packet(70_000, 1);
        writer.WritePacket(packet, 4242);
        writer.FlushPage();

        var pages = OggPackets.Pages(output.ToArray());
        Assert.Equal(2, pages.Count);

        Assert.Equal(255, pages[0].SegmentTable.Length);
        Assert.All(pages[0].SegmentTable, lacing => Assert.Equal(255, lacing));
        Assert.Equal(-1, pages[0].Granule);
        Assert.Equal(OggPageFlags.BeginningOfStream, pages[0].Flags);

        // 70,000 - 255 × 255 = 4,975 = 19 × 255 + 130.
        Assert.Equal([.. Enumerable.Repeat((byte)255, 19), (byte)130], pages[1].SegmentTable);
        Assert.Equal(4242, pages[1].Granule);
        Assert.Equal(OggPageFlags.Continued, pages[1].Flags);
        Assert.Equal((0u, 1u), (pages[0].Sequence, pages[1].Sequence));

        Assert.Equal(packet, Assert.Single(OggPackets.Packets(pages)));
    }

    [Fact]
    public void A_packet_of_exactly_255_full_segments_ends_with_a_zero_lacing_value_on_a_continued_page()
    {
        using var output = new MemoryStream();
        var writer = new OggPageWriter(output, Serial);
        byte[] packet = Packet(255 * 255, 2);
        writer.WritePacket(packet, 7);
        writer.FlushPage();

        var pages = OggPackets.Pages(output.ToArray());
        Assert.Equal(2, pages.Count);
        Assert.Equal(-1, pages[0].Granule);
        Assert.Equal(new byte[] { 0 }, pages[1].SegmentTable);
        Assert.Empty(pages[1].Body);
        Assert.Equal(7, pages[1].Granule);
        Assert.True(pages[1].Flags.HasFlag(OggPageFlags.Continued));
        Assert.Equal(packet, Assert.Single(OggPackets.Packets(pages)));
    }

    [Fact]
    public void A_packet_that_does_not_fit_the_rest_of_the_page_continues_on_the_next_and_the_page_keeps_the_granule_of_the_last_completed_packet()
    {
        using var output = new MemoryStream();
        var writer = new OggPageWriter(output, Serial);
        byte[] small = Packet(100, 3);
        byte[] big = Packet(300 * 255, 4);
        writer.WritePacket(small, 960);
        writer.WritePacket(big, 1920);
        writer.FlushPage();

        var pages = OggPackets.Pages(output.ToArray());
        Assert.Equal(2, pages.Count);
        Assert.Equal(960, pages[0].Granule);
        Assert.Equal(255, pages[0].SegmentTable.Length);
        Assert.Equal(1920, pages[1].Granule);
        Assert.True(pages[1].Flags.HasFlag(OggPageFlags.Continued));
        Assert.Equal([small, big], OggPackets.Packets(pages));
    }

    [Fact]
    public void Bos_is_on_the_first_page_only_eos_on_the_last_only_and_sequence_numbers_count_up()
    {
        using var output = new MemoryStream();
        var writer = new OggPageWriter(output, Serial);
        for (int i = 0; i < 5; i++)
        {
            writer.WritePacket(Packet(60, i), (i + 1) * 960L, endOfStream: i == 4);
            writer.FlushPage();
        }

        Assert.True(writer.IsCompleted);
        var pages = OggPackets.Pages(output.ToArray());
        Assert.Equal(5, pages.Count);
        Assert.Equal([0u, 1u, 2u, 3u, 4u], pages.Select(p => p.Sequence));
        Assert.All(pages, p => Assert.Equal(Serial, p.Serial));
        Assert.Equal(
            [OggPageFlags.BeginningOfStream, OggPageFlags.None, OggPageFlags.None, OggPageFlags.None, OggPageFlags.EndOfStream],
            pages.Select(p => p.Flags));
        Assert.Throws<InvalidOperationException>(() => writer.WritePacket([1], 1));
    }

    [Fact]
    public void Flushing_an_empty_page_writes_nothing()
    {
        using var output = new MemoryStream();
        var writer = new OggPageWriter(output, Serial);
        writer.FlushPage();
        writer.Flush();
        Assert.Equal(0, output.Length);
        Assert.Equal(0u, writer.PagesWritten);
    }

    [Fact]
    public void End_of_stream_with_nothing_pending_writes_an_empty_eos_page_repeating_the_last_granule()
    {
        using var output = new MemoryStream();
        var writer = new OggPageWriter(output, Serial);
        writer.WritePacket(Packet(10, 1), 960);
        writer.FlushPage();
        writer.WriteEndOfStream();

        var pages = OggPackets.Pages(output.ToArray());
        Assert.Equal(2, pages.Count);
        Assert.Equal(OggPageFlags.EndOfStream, pages[1].Flags);
        Assert.Empty(pages[1].SegmentTable);
        Assert.Equal(960, pages[1].Granule);
    }

    [Fact]
    public void Random_packets_come_back_identical_and_each_page_carries_the_granule_of_its_last_completed_packet()
    {
        var random = new Random(42);
        var packets = new List<byte[]>();
        var granules = new List<long>();
        using var output = new MemoryStream();
        var writer = new OggPageWriter(output, Serial);
        for (int i = 0; i < 400; i++)
        {
            int length = random.Next(4) switch
            {
                0 => random.Next(0, 3),
                1 => random.Next(250, 260),
                2 => random.Next(0, 2000),
                _ => random.Next(0, 20_000),
            };
            byte[] packet = Packet(length, i);
            packets.Add(packet);
            granules.Add((i + 1) * 960L);
            writer.WritePacket(packet, granules[^1], endOfStream: i == 399);
            if (random.Next(10) == 0)
            {
                writer.FlushPage();
            }
        }

        var pages = OggPackets.Pages(output.ToArray());
        Assert.Equal(packets, OggPackets.Packets(pages));

        // Replay the lacing to know which packet each page completes last.
        int completed = 0;
        foreach (var page in pages)
        {
            int before = completed;
            completed += page.SegmentTable.Count(l => l < 255);
            long expected = completed == before ? -1 : granules[completed - 1];
            Assert.Equal(expected, page.Granule);
        }

        Assert.Equal(OggPageFlags.EndOfStream, pages[^1].Flags & OggPageFlags.EndOfStream);
        Assert.Equal(output.Length, writer.BytesWritten);
    }

    [Fact]
    public void Our_pages_pass_our_reader_checksum_and_a_flipped_bit_fails_it()
    {
        using var output = new MemoryStream();
        var writer = new OggPageWriter(output, Serial);
        writer.WritePacket(Packet(500, 9), 960);
        writer.FlushPage();
        byte[] bytes = output.ToArray();

        Assert.Equal(OggPageReadResult.Page, OggPageReader.TryRead(bytes, out _, out int consumed));
        Assert.Equal(bytes.Length, consumed);
        for (int cut = 0; cut < bytes.Length; cut++)
        {
            Assert.Equal(OggPageReadResult.Incomplete, OggPageReader.TryRead(bytes.AsSpan(0, cut), out _, out int none));
            Assert.Equal(0, none);
        }

        bytes[100] ^= 0x10;
        Assert.Equal(OggPageReadResult.BadChecksum, OggPageReader.TryRead(bytes, out _, out _));
        Assert.Equal(OggPageReadResult.NotAPage, OggPageReader.TryRead("NotOgg-and-some-more-bytes-here"u8, out _, out _));
    }

    [Fact]
    public void Writing_packets_and_pages_allocates_nothing_after_warm_up()
    {
        var writer = new OggPageWriter(Stream.Null, Serial);
        byte[] packet = Packet(60, 1);
        byte[] big = Packet(70_000, 2);
        for (int i = 0; i < 100; i++)
        {
            writer.WritePacket(packet, i);
            writer.WritePacket(big, i);
            writer.Flush();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            writer.WritePacket(packet, i);
            if (i % 50 == 49)
            {
                writer.WritePacket(big, i);
                writer.Flush();
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
