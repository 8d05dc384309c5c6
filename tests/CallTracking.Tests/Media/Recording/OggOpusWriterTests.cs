using System.Buffers.Binary;
using System.Text;
using CallTracking.Media.Recording;

namespace CallTracking.Tests.Media.Recording;

public sealed class OggOpusWriterTests
{
    private static readonly KeyValuePair<string, string>[] Tags = [new("TITLE", "test tone")];

    [Fact]
    public void OpusHead_is_alone_on_the_bos_page_and_OpusTags_on_the_next_both_at_granule_0()
    {
        using var output = new MemoryStream();
        var writer = new OggOpusWriter(output, 99, channels: 2, inputSampleRate: 8000, preSkip: 312, "vendor é", Tags);
        writer.WriteFrame([1, 2, 3], 960);
        writer.Complete();

        var pages = OggPackets.Pages(output.ToArray());
        Assert.Equal(3, pages.Count);
        Assert.Equal(OggPageFlags.BeginningOfStream, pages[0].Flags);
        Assert.Equal((0L, 0L), (pages[0].Granule, pages[1].Granule));
        Assert.Equal(new byte[] { 19 }, pages[0].SegmentTable);

        byte[] head = pages[0].Body;
        Assert.Equal("OpusHead"u8.ToArray(), head[..8]);
        Assert.Equal(1, head[8]);
        Assert.Equal(2, head[9]);
        Assert.Equal(312, BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(10)));
        Assert.Equal(8000u, BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(12)));
        Assert.Equal(0, BinaryPrimitives.ReadInt16LittleEndian(head.AsSpan(16)));
        Assert.Equal(0, head[18]);

        byte[] tags = Assert.Single(OggPackets.Packets([pages[1]]));
        Assert.Equal("OpusTags"u8.ToArray(), tags[..8]);
        int vendorLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(tags.AsSpan(8));
        Assert.Equal("vendor é", Encoding.UTF8.GetString(tags, 12, vendorLength));
        int at = 12 + vendorLength;
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(tags.AsSpan(at)));
        int commentLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(tags.AsSpan(at + 4));
        Assert.Equal("TITLE=test tone", Encoding.UTF8.GetString(tags, at + 8, commentLength));

        Assert.Equal(OggPageFlags.EndOfStream, pages[2].Flags);
        Assert.Equal(960, pages[2].Granule);
    }

    [Fact]
    public void FlushIfDue_ends_a_page_once_a_second_of_audio_waits()
    {
        using var output = new MemoryStream();
        var writer = new OggOpusWriter(output, 1, 1, 8000, 0, "v", []);
        long headerBytes = output.Length;
        for (int i = 1; i <= 49; i++)
        {
            writer.WriteFrame([0xF8], 960);
            Assert.False(writer.FlushIfDue(TimeSpan.FromMilliseconds(20 * i)));
        }

        Assert.Equal(headerBytes, output.Length);
        writer.WriteFrame([0xF8], 960);
        Assert.True(writer.FlushIfDue(TimeSpan.FromSeconds(1)));
        Assert.True(output.Length > headerBytes);
    }

    [Fact]
    public void FlushIfDue_ends_a_page_a_second_after_the_last_flush_even_with_little_audio()
    {
        using var output = new MemoryStream();
        var writer = new OggOpusWriter(output, 1, 1, 8000, 0, "v", []);
        writer.WriteFrame([0xF8], 960);
        Assert.False(writer.FlushIfDue(TimeSpan.FromMilliseconds(999)));
        Assert.True(writer.FlushIfDue(TimeSpan.FromSeconds(1)));
        Assert.False(writer.FlushIfDue(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Three_seconds_of_tone_is_a_file_opusinfo_accepts_and_opusdec_decodes_to_three_seconds()
    {
        using var temp = new TempFolder();
        string path = temp.File("tone.opus");
        using var encoder = new TestOpusEncoder(sampleRate: 8000, channels: 2);
        int preSkip = encoder.Lookahead * 6;
        short[] tone = Signals.Tone(440, 8000, TimeSpan.FromSeconds(3));
        var pcm = new short[320];
        var packet = new byte[4000];

        using (var file = File.Create(path))
        {
            var writer = new OggOpusWriter(file, 0xCA11, 2, 8000, preSkip, "CallTracking test", Tags);
            for (int frame = 0; frame < 150; frame++)
            {
                for (int i = 0; i < 160; i++)
                {
                    pcm[2 * i] = pcm[(2 * i) + 1] = tone[(frame * 160) + i];
                }

                int length = encoder.Encode(pcm, 160, packet);
                writer.WriteFrame(packet.AsSpan(0, length), 960);
                writer.FlushIfDue(TimeSpan.FromMilliseconds(20 * (frame + 1)));
            }

            // One more frame pushes the lookahead out; the EOS granule trims the rest.
            Array.Clear(pcm);
            int last = encoder.Encode(pcm, 160, packet);
            writer.Complete(packet.AsSpan(0, last), 960, 960 - preSkip);
            Assert.Equal(144_000 + preSkip, writer.GranulePosition);
        }

        var pages = OggPackets.Pages(File.ReadAllBytes(path));
        Assert.Equal(144_000, pages[^1].Granule - preSkip);
        Assert.Equal(OggPageFlags.EndOfStream, pages[^1].Flags);
        Assert.All(pages.Skip(2).SkipLast(1), p => Assert.True(p.Granule % 48_000 == 0, $"page ends at {p.Granule}"));

        var (exit, info) = ExternalTool.Run("opusinfo", path);
        Assert.True(exit == 0, info);
        Assert.DoesNotContain("WARNING", info, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Channels: 2", info, StringComparison.Ordinal);
        Assert.Contains($"Pre-skip: {preSkip}", info, StringComparison.Ordinal);
        Assert.Contains("Original sample rate: 8000 Hz", info, StringComparison.Ordinal);
        Assert.Contains("Playback length: 0m:03.000s", info, StringComparison.Ordinal);

        string wav = temp.File("out.wav");
        var (decodeExit, decodeOutput) = ExternalTool.Run("opusdec", "--quiet", "--rate", "8000", path, wav);
        Assert.True(decodeExit == 0, decodeOutput);
        var decoded = DecodedWav.Read(wav);
        Assert.Equal(2, decoded.Channels);
        Assert.InRange(decoded.Duration.TotalMilliseconds, 2980, 3020);
    }

    [Fact]
    public void Complete_right_after_a_flush_ends_with_an_empty_eos_page_that_still_decodes()
    {
        using var temp = new TempFolder();
        string path = temp.File("empty-eos.opus");
        using var encoder = new TestOpusEncoder(sampleRate: 8000, channels: 1);
        var pcm = Signals.Tone(440, 8000, TimeSpan.FromSeconds(1));
        var packet = new byte[4000];
        using (var file = File.Create(path))
        {
            var writer = new OggOpusWriter(file, 5, 1, 8000, encoder.Lookahead * 6, "v", []);
            for (int frame = 0; frame < 50; frame++)
            {
                int length = encoder.Encode(pcm.AsSpan(frame * 160, 160), 160, packet);
                writer.WriteFrame(packet.AsSpan(0, length), 960);
                writer.FlushIfDue(TimeSpan.FromMilliseconds(20 * (frame + 1)));
            }

            writer.Complete();
        }

        var pages = OggPackets.Pages(File.ReadAllBytes(path));
        Assert.Empty(pages[^1].SegmentTable);
        Assert.Equal(48_000, pages[^1].Granule);

        // Valid Ogg, but opusinfo warns about "more than one packet of end trimming"
        // on a packetless EOS page: the recorder ends with Complete(lastPacket, ...) instead.
        string wav = temp.File("out.wav");
        var (exit, output) = ExternalTool.Run("opusdec", "--quiet", "--rate", "8000", path, wav);
        Assert.True(exit == 0, output);
        Assert.InRange(DecodedWav.Read(wav).Duration.TotalMilliseconds, 980, 1000);
    }
}
