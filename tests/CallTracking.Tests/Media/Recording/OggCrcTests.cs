using System.Buffers.Binary;
using CallTracking.Media.Recording;

namespace CallTracking.Tests.Media.Recording;

public sealed class OggCrcTests
{
    [Fact]
    public void Check_value_of_123456789_is_that_of_crc32_with_init_0_no_reflection_no_xorout()
    {
        // CRC-32/CKSUM (same polynomial, init 0, unreflected) checks as 0x765E7680
        // with its final XOR of 0xFFFFFFFF; Ogg has no final XOR.
        Assert.Equal(~0x765E7680u, OggCrc.Compute("123456789"u8));
    }

    [Fact]
    public void Empty_input_has_crc_0()
    {
        Assert.Equal(0u, OggCrc.Compute([]));
    }

    [Fact]
    public void Update_in_pieces_equals_compute_in_one()
    {
        byte[] data = new byte[1000];
        new Random(7).NextBytes(data);
        uint whole = OggCrc.Compute(data);
        uint pieces = OggCrc.Update(OggCrc.Update(0, data.AsSpan(0, 333)), data.AsSpan(333));
        Assert.Equal(whole, pieces);
    }

    [Fact]
    public void Recomputes_the_stored_crc_of_every_page_opusenc_writes()
    {
        using var temp = new TempFolder();
        string wav = temp.File("tone.wav");
        string opus = temp.File("tone.opus");
        Assert.Equal(0, ExternalTool.Run("sox", "-n", "-r", "8000", "-c", "1", "-b", "16", wav, "synth", "2", "sine", "440").ExitCode);
        Assert.Equal(0, ExternalTool.Run("opusenc", "--quiet", wav, opus).ExitCode);

        ReadOnlySpan<byte> file = File.ReadAllBytes(opus);
        int pages = 0;
        while (!file.IsEmpty)
        {
            Assert.True(file.StartsWith("OggS"u8));
            int segments = file[26];
            int length = 27 + segments;
            foreach (byte lacing in file.Slice(27, segments))
            {
                length += lacing;
            }

            byte[] page = file[..length].ToArray();
            uint stored = BinaryPrimitives.ReadUInt32LittleEndian(page.AsSpan(22));
            page.AsSpan(22, 4).Clear();
            Assert.Equal(stored, OggCrc.Compute(page));
            file = file[length..];
            pages++;
        }

        Assert.True(pages >= 3, $"only {pages} pages");
    }
}
