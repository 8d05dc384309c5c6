using CallTracking.Media.Codecs;

namespace CallTracking.Tests.Media.Codecs;

public sealed class G711Tests
{
    // ITU-T G.711 Table 2 (µ-law), in the 14-bit scale of the standard (max 8031):
    // first reconstruction level of each segment and the step inside it.
    private static readonly int[] MuLawSegmentBase = [0, 33, 99, 231, 495, 1023, 2079, 4191];
    private static readonly int[] MuLawSegmentStep = [2, 4, 8, 16, 32, 64, 128, 256];

    // ITU-T G.711 Table 1 (A-law), in the 13-bit scale of the standard (max 4032).
    private static readonly int[] ALawSegmentBase = [1, 33, 66, 132, 264, 528, 1056, 2112];
    private static readonly int[] ALawSegmentStep = [2, 2, 4, 8, 16, 32, 64, 128];

    // Segment decision values of the same tables, scaled to 16-bit input (µ-law ×4, A-law ×8):
    // an input magnitude at or above entry i lies in segment i + 1.
    private static readonly int[] MuLawSegmentStarts = [124, 380, 892, 1916, 3964, 8060, 16252];
    private static readonly int[] ALawSegmentStarts = [256, 512, 1024, 2048, 4096, 8192, 16384];

    private static short MuLawReference(byte code)
    {
        var inverted = ~code & 0xFF; // µ-law codes are sent with all bits inverted
        var segment = (inverted >> 4) & 7;
        var level = MuLawSegmentBase[segment] + (MuLawSegmentStep[segment] * (inverted & 0x0F));
        return (short)((code & 0x80) != 0 ? 4 * level : -4 * level);
    }

    private static short ALawReference(byte code)
    {
        var value = code ^ 0x55; // A-law codes are sent with the even bits inverted
        var segment = (value >> 4) & 7;
        var level = ALawSegmentBase[segment] + (ALawSegmentStep[segment] * (value & 0x0F));
        return (short)((code & 0x80) != 0 ? 8 * level : -8 * level);
    }

    [Theory]
    [InlineData(0x00, -32124)]
    [InlineData(0x80, 32124)]
    [InlineData(0xFF, 0)]
    [InlineData(0x7F, 0)]
    [InlineData(0x01, -31100)]
    [InlineData(0x0F, -16764)]
    [InlineData(0x7E, -8)]
    [InlineData(0xFE, 8)]
    [InlineData(0xEF, 132)]
    [InlineData(0x70, -120)]
    public void MuLaw_well_known_codes_decode_to_the_standard_values(int code, int expected)
    {
        Assert.Equal(expected, G711.MuLawDecode((byte)code));
        Assert.Equal(expected, MuLawReference((byte)code));
    }

    [Theory]
    [InlineData(0xD5, 8)]
    [InlineData(0x55, -8)]
    [InlineData(0x2A, -32256)]
    [InlineData(0xAA, 32256)]
    [InlineData(0x00, -5504)]
    [InlineData(0x01, -5248)]
    [InlineData(0x02, -6016)]
    [InlineData(0x80, 5504)]
    [InlineData(0xD4, 24)]
    public void ALaw_well_known_codes_decode_to_the_standard_values(int code, int expected)
    {
        Assert.Equal(expected, G711.ALawDecode((byte)code));
        Assert.Equal(expected, ALawReference((byte)code));
    }

    [Fact]
    public void Silence_codes_decode_to_the_quietest_levels()
    {
        Assert.Equal(0, G711.MuLawDecode(G711.MuLawSilence));
        Assert.Equal(8, G711.ALawDecode(G711.ALawSilence));
        Assert.Equal(G711.MuLawSilence, G711.MuLawEncode(0));
        Assert.Equal(G711.ALawSilence, G711.ALawEncode(0));
    }

    [Fact]
    public void Every_code_decodes_to_the_G711_table_value()
    {
        var codes = AllCodes();
        var mu = new short[256];
        var a = new short[256];
        G711.MuLawDecode(codes, mu);
        G711.ALawDecode(codes, a);
        for (var code = 0; code < 256; code++)
        {
            Assert.True(MuLawReference((byte)code) == mu[code], $"µ-law 0x{code:X2}: {mu[code]}");
            Assert.True(ALawReference((byte)code) == a[code], $"A-law 0x{code:X2}: {a[code]}");
        }
    }

    [Fact]
    public void Every_decoded_value_encodes_back_to_its_code()
    {
        var codes = AllCodes();
        var pcm = new short[256];
        var encoded = new byte[256];

        G711.MuLawDecode(codes, pcm);
        G711.MuLawEncode(pcm, encoded);
        for (var code = 0; code < 256; code++)
        {
            // µ-law has two zeros (0x7F and 0xFF); 0 encodes as positive zero.
            var expected = code == 0x7F ? 0xFF : code;
            Assert.True(expected == encoded[code], $"µ-law 0x{code:X2} -> {pcm[code]} -> 0x{encoded[code]:X2}");
        }

        G711.ALawDecode(codes, pcm);
        G711.ALawEncode(pcm, encoded);
        Assert.Equal(codes, encoded);
    }

    [Fact]
    public void MuLaw_encodes_every_16_bit_value_into_its_segment_monotonically()
    {
        EncodesEveryValueIntoItsSegment(G711.MuLawEncode, G711.MuLawDecode, code => (~code >> 4) & 7, code => (code & 0x80) != 0, MuLawSegmentStarts, 4, MuLawSegmentStep);
    }

    [Fact]
    public void ALaw_encodes_every_16_bit_value_into_its_segment_monotonically()
    {
        EncodesEveryValueIntoItsSegment(G711.ALawEncode, G711.ALawDecode, code => ((code ^ 0x55) >> 4) & 7, code => (code & 0x80) != 0, ALawSegmentStarts, 8, ALawSegmentStep);
    }

    [Fact]
    public void Span_and_single_sample_forms_agree_for_every_16_bit_value()
    {
        var pcm = new short[65536];
        for (var i = 0; i < pcm.Length; i++)
        {
            pcm[i] = (short)(i - 32768);
        }

        var mu = new byte[pcm.Length];
        var a = new byte[pcm.Length];
        G711.MuLawEncode(pcm, mu);
        G711.ALawEncode(pcm, a);
        for (var i = 0; i < pcm.Length; i++)
        {
            Assert.Equal(G711.MuLawEncode(pcm[i]), mu[i]);
            Assert.Equal(G711.ALawEncode(pcm[i]), a[i]);
        }
    }

    [Fact]
    public void A_destination_shorter_than_the_source_is_refused()
    {
        Assert.Throws<ArgumentException>(() => G711.MuLawDecode(new byte[160], new short[159]));
        Assert.Throws<ArgumentException>(() => G711.ALawEncode(new short[160], new byte[80]));
    }

    [Fact]
    public void Decoding_and_encoding_a_20ms_frame_allocates_nothing()
    {
        var encoded = new byte[160];
        var pcm = new short[160];
        Array.Fill(encoded, (byte)0x3C);
        RoundTrip(encoded, pcm);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            RoundTrip(encoded, pcm);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        static void RoundTrip(byte[] encoded, short[] pcm)
        {
            G711.MuLawDecode(encoded, pcm);
            G711.MuLawEncode(pcm, encoded);
            G711.ALawDecode(encoded, pcm);
            G711.ALawEncode(pcm, encoded);
        }
    }

    private static void EncodesEveryValueIntoItsSegment(
        Func<short, byte> encode, Func<byte, short> decode, Func<int, int> segmentOf, Func<int, bool> isPositive,
        int[] segmentStarts, int scale, int[] steps)
    {
        var previous = short.MinValue;
        var maxLevel = Enumerable.Range(0, 256).Max(c => decode((byte)c));
        for (var x = (int)short.MinValue; x <= short.MaxValue; x++)
        {
            var code = encode((short)x);
            var decoded = decode(code);

            // G.191: negative inputs are quantised on their one's complement.
            var magnitude = x < 0 ? -x - 1 : x;
            var expectedSegment = segmentStarts.Count(start => magnitude >= start);
            Assert.True(expectedSegment == segmentOf(code), $"{x} -> 0x{code:X2}: segment {segmentOf(code)}, expected {expectedSegment}");
            Assert.True(isPositive(code) == x >= 0 || decoded == 0, $"{x} -> 0x{code:X2}: wrong sign");

            // Monotonic, and within half a step (plus the bits below the quantiser) unless clipped.
            Assert.True(decoded >= previous, $"{x} -> {decoded} after {previous}");
            previous = decoded;
            var halfStep = scale * steps[expectedSegment] / 2;
            if (magnitude <= maxLevel)
            {
                Assert.True(Math.Abs(decoded - x) <= halfStep + scale, $"{x} -> {decoded}: off by more than half a step");
            }
        }
    }

    private static byte[] AllCodes() => Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
}
