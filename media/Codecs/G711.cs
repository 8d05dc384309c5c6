using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CallTracking.Media.Codecs;

/// <summary>
/// ITU-T G.711 µ-law and A-law between 8-bit codes and 16-bit linear PCM, bit-exact
/// with the ITU-T reference implementation (G.191 STL <c>g711.c</c>): decoding is a
/// 256-entry table; encoding is one table load indexed by the input's top 14 bits
/// (µ-law) or 12 bits (A-law), the bits G.711 actually quantises.
/// </summary>
/// <remarks>
/// Negative inputs are quantised on their one's complement (as the STL does), so
/// -1 encodes like 0 with the sign flipped and the quantiser is symmetric.
/// A plain table loop, no SIMD: a 160-sample frame costs ~0.2 µs each way
/// (bench/Media/CodecBenchmarks.cs), three orders of magnitude below an Opus
/// encode, so a vectorised path would not pay for its code. The tables are
/// 512 B each (decode) and 16 KiB + 4 KiB (encode).
/// </remarks>
public static class G711
{
    /// <summary>µ-law code of silence (positive zero).</summary>
    public const byte MuLawSilence = 0xFF;

    /// <summary>A-law code of silence (the smallest positive level, +8).</summary>
    public const byte ALawSilence = 0xD5;

    private static readonly short[] MuLawToLinear = BuildMuLawDecodeTable();
    private static readonly short[] ALawToLinear = BuildALawDecodeTable();

    // Index: pcm >> 2 as 14 bits (two's complement), i.e. (pcm >> 2) & 0x3FFF.
    private static readonly byte[] LinearToMuLaw = BuildMuLawEncodeTable();

    // Index: pcm >> 4 as 12 bits (two's complement), i.e. (pcm >> 4) & 0xFFF.
    private static readonly byte[] LinearToALaw = BuildALawEncodeTable();

    /// <summary>Decodes µ-law codes; <paramref name="pcm"/> must hold at least as many samples.</summary>
    public static void MuLawDecode(ReadOnlySpan<byte> encoded, Span<short> pcm) => Decode(MuLawToLinear, encoded, pcm);

    /// <summary>Decodes A-law codes; <paramref name="pcm"/> must hold at least as many samples.</summary>
    public static void ALawDecode(ReadOnlySpan<byte> encoded, Span<short> pcm) => Decode(ALawToLinear, encoded, pcm);

    /// <summary>Encodes to µ-law; <paramref name="encoded"/> must hold at least as many bytes.</summary>
    public static void MuLawEncode(ReadOnlySpan<short> pcm, Span<byte> encoded) => Encode(LinearToMuLaw, 2, 0x3FFF, pcm, encoded);

    /// <summary>Encodes to A-law; <paramref name="encoded"/> must hold at least as many bytes.</summary>
    public static void ALawEncode(ReadOnlySpan<short> pcm, Span<byte> encoded) => Encode(LinearToALaw, 4, 0xFFF, pcm, encoded);

    public static short MuLawDecode(byte code) => MuLawToLinear[code];

    public static short ALawDecode(byte code) => ALawToLinear[code];

    public static byte MuLawEncode(short sample) => LinearToMuLaw[(sample >> 2) & 0x3FFF];

    public static byte ALawEncode(short sample) => LinearToALaw[(sample >> 4) & 0xFFF];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Decode(short[] table, ReadOnlySpan<byte> encoded, Span<short> pcm)
    {
        if (pcm.Length < encoded.Length)
        {
            ThrowDestinationTooShort(nameof(pcm));
        }

        ref var lookup = ref MemoryMarshal.GetArrayDataReference(table);
        ref var source = ref MemoryMarshal.GetReference(encoded);
        ref var destination = ref MemoryMarshal.GetReference(pcm);
        for (nint i = 0; i < encoded.Length; i++)
        {
            // A byte indexes a 256-entry table: always in range.
            Unsafe.Add(ref destination, i) = Unsafe.Add(ref lookup, Unsafe.Add(ref source, i));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Encode(byte[] table, int shift, int mask, ReadOnlySpan<short> pcm, Span<byte> encoded)
    {
        if (encoded.Length < pcm.Length)
        {
            ThrowDestinationTooShort(nameof(encoded));
        }

        ref var lookup = ref MemoryMarshal.GetArrayDataReference(table);
        ref var source = ref MemoryMarshal.GetReference(pcm);
        ref var destination = ref MemoryMarshal.GetReference(encoded);
        for (nint i = 0; i < pcm.Length; i++)
        {
            // mask + 1 == table.Length: always in range.
            Unsafe.Add(ref destination, i) = Unsafe.Add(ref lookup, (Unsafe.Add(ref source, i) >> shift) & mask);
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowDestinationTooShort(string name) =>
        throw new ArgumentException("The destination is shorter than the source.", name);

    // G.191 ulaw_expand: sign * (((2m + 33) << e) - 33) * 4, codes stored inverted.
    private static short[] BuildMuLawDecodeTable()
    {
        var table = new short[256];
        for (var code = 0; code < 256; code++)
        {
            var inverted = ~code & 0xFF;
            var exponent = (inverted >> 4) & 0x07;
            var mantissa = inverted & 0x0F;
            var magnitude = 4 * (((2 * mantissa + 33) << exponent) - 33);
            table[code] = (short)((code & 0x80) != 0 ? magnitude : -magnitude);
        }

        return table;
    }

    // G.191 alaw_expand: even bits inverted (xor 0x55), bit 7 set = positive.
    private static short[] BuildALawDecodeTable()
    {
        var table = new short[256];
        for (var code = 0; code < 256; code++)
        {
            var value = (code ^ 0x55) & 0x7F;
            var exponent = value >> 4;
            var mantissa = value & 0x0F;
            if (exponent > 0)
            {
                mantissa += 16;
            }

            mantissa = (mantissa << 4) + 8;
            if (exponent > 1)
            {
                mantissa <<= exponent - 1;
            }

            table[code] = (short)((code & 0x80) != 0 ? mantissa : -mantissa);
        }

        return table;
    }

    // G.191 ulaw_compress over every 14-bit input (index = pcm >> 2).
    private static byte[] BuildMuLawEncodeTable()
    {
        var table = new byte[1 << 14];
        for (var index = 0; index < table.Length; index++)
        {
            var top = index >= 1 << 13 ? index - (1 << 14) : index; // sign-extend
            var negative = top < 0;
            var magnitude = (negative ? ~top : top) + 33;
            if (magnitude > 0x1FFF)
            {
                magnitude = 0x1FFF;
            }

            var segment = 1;
            for (var i = magnitude >> 6; i != 0; i >>= 1)
            {
                segment++;
            }

            var high = 8 - segment;
            var low = 0x0F - ((magnitude >> segment) & 0x0F);
            var code = (high << 4) | low;
            table[index] = (byte)(negative ? code : code | 0x80);
        }

        return table;
    }

    // G.191 alaw_compress over every 12-bit input (index = pcm >> 4).
    private static byte[] BuildALawEncodeTable()
    {
        var table = new byte[1 << 12];
        for (var index = 0; index < table.Length; index++)
        {
            var top = index >= 1 << 11 ? index - (1 << 12) : index; // sign-extend
            var negative = top < 0;
            var value = negative ? ~top : top;
            if (value > 15)
            {
                var exponent = 1;
                while (value > 16 + 15)
                {
                    value >>= 1;
                    exponent++;
                }

                value -= 16;
                value += exponent << 4;
            }

            if (!negative)
            {
                value |= 0x80;
            }

            table[index] = (byte)(value ^ 0x55);
        }

        return table;
    }
}
