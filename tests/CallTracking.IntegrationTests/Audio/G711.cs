namespace CallTracking.IntegrationTests.Audio;

/// <summary>
/// G.711 µ-law and A-law (ITU-T G.711), test-side: written from the standard, not from the
/// product's codec, so that a shared mistake cannot hide itself.
/// </summary>
public static class G711
{
    /// <summary>The µ-law byte of digital silence (+0).</summary>
    public const byte MuLawSilence = 0xFF;

    /// <summary>The A-law byte of digital silence (+0 with even-bit inversion).</summary>
    public const byte ALawSilence = 0xD5;

    private const int MuLawBias = 0x84;
    private const int MuLawClip = 32635;

    public static byte MuLawEncode(short sample)
    {
        int value = sample;
        var sign = value < 0 ? 0x80 : 0;
        if (value < 0)
        {
            value = -value;
        }

        value = Math.Min(value, MuLawClip) + MuLawBias;
        // The segment is the position of the highest set bit above bit 7.
        var exponent = 7;
        for (var mask = 0x4000; (value & mask) == 0 && exponent > 0; mask >>= 1)
        {
            exponent--;
        }

        var mantissa = (value >> (exponent + 3)) & 0x0F;
        return (byte)~(sign | (exponent << 4) | mantissa);
    }

    public static short MuLawDecode(byte code)
    {
        var inverted = ~code & 0xFF;
        var exponent = (inverted >> 4) & 0x07;
        var mantissa = inverted & 0x0F;
        var magnitude = (((mantissa << 3) + MuLawBias) << exponent) - MuLawBias;
        return (short)((inverted & 0x80) != 0 ? -magnitude : magnitude);
    }

    public static byte ALawEncode(short sample)
    {
        // A-law works on 13-bit magnitudes.
        int value = sample >> 3;
        int sign;
        if (value >= 0)
        {
            sign = 0x80;
        }
        else
        {
            sign = 0;
            value = -value - 1;
        }

        int code;
        if (value < 32)
        {
            code = value >> 1;
        }
        else
        {
            var exponent = 1;
            for (var v = value >> 5; v > 1 && exponent < 7; v >>= 1)
            {
                exponent++;
            }

            // |sample| >> 3 is at most 0xFFF: segment 7 is the last.
            code = (exponent << 4) | ((value >> exponent) & 0x0F);
        }

        return (byte)((sign | code) ^ 0x55);
    }

    public static short ALawDecode(byte code)
    {
        var value = code ^ 0x55;
        var exponent = (value >> 4) & 0x07;
        var mantissa = value & 0x0F;
        var magnitude = exponent == 0
            ? (mantissa << 4) + 8
            : ((mantissa << 4) + 0x108) << (exponent - 1);
        return (short)((value & 0x80) != 0 ? magnitude : -magnitude);
    }

    public static byte[] Encode(ReadOnlySpan<short> samples, G711Law law)
    {
        var bytes = new byte[samples.Length];
        for (var i = 0; i < samples.Length; i++)
        {
            bytes[i] = law == G711Law.MuLaw ? MuLawEncode(samples[i]) : ALawEncode(samples[i]);
        }

        return bytes;
    }

    public static short[] Decode(ReadOnlySpan<byte> codes, G711Law law)
    {
        var samples = new short[codes.Length];
        for (var i = 0; i < codes.Length; i++)
        {
            samples[i] = law == G711Law.MuLaw ? MuLawDecode(codes[i]) : ALawDecode(codes[i]);
        }

        return samples;
    }

    public static byte Silence(G711Law law) => law == G711Law.MuLaw ? MuLawSilence : ALawSilence;

    /// <summary>The static RTP payload type: 0 PCMU, 8 PCMA (RFC 3551).</summary>
    public static byte PayloadType(G711Law law) => law == G711Law.MuLaw ? (byte)0 : (byte)8;

    public static G711Law LawOf(byte payloadType) => payloadType switch
    {
        0 => G711Law.MuLaw,
        8 => G711Law.ALaw,
        _ => throw new ArgumentOutOfRangeException(nameof(payloadType), payloadType, "Not a G.711 payload type (0 PCMU, 8 PCMA)."),
    };
}

public enum G711Law
{
    /// <summary>PCMU, RTP payload type 0.</summary>
    MuLaw,

    /// <summary>PCMA, RTP payload type 8.</summary>
    ALaw,
}
