using System.Buffers.Binary;

namespace CallTracking.Media.Audio;

/// <summary>Writes 16-bit PCM as a canonical 44-byte-header WAV file, for tests and diagnostics.</summary>
public static class WavWriter
{
    private const int HeaderLength = 44;

    public static byte[] ToBytes(ReadOnlySpan<short> interleavedSamples, int sampleRate, int channels = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        int dataLength = interleavedSamples.Length * 2;
        var file = new byte[HeaderLength + dataLength];
        Span<byte> span = file;
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)(file.Length - 8));
        "WAVE"u8.CopyTo(span[8..]);
        "fmt "u8.CopyTo(span[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(span[20..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(span[22..], (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(span[24..], (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(span[28..], (uint)(sampleRate * channels * 2));
        BinaryPrimitives.WriteUInt16LittleEndian(span[32..], (ushort)(channels * 2));
        BinaryPrimitives.WriteUInt16LittleEndian(span[34..], 16);
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[40..], (uint)dataLength);
        Span<byte> data = span[HeaderLength..];
        for (int i = 0; i < interleavedSamples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(data[(2 * i)..], interleavedSamples[i]);
        }

        return file;
    }

    public static void Write(string path, ReadOnlySpan<short> interleavedSamples, int sampleRate, int channels = 1) =>
        File.WriteAllBytes(path, ToBytes(interleavedSamples, sampleRate, channels));
}
