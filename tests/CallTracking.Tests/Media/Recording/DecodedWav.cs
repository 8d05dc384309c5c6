using System.Buffers.Binary;

namespace CallTracking.Tests.Media.Recording;

/// <summary>The channels of a 16-bit PCM WAV written by opusdec, stereo or mono.</summary>
internal sealed record DecodedWav(int SampleRate, int Channels, short[][] ChannelSamples)
{
    public TimeSpan Duration => TimeSpan.FromSeconds((double)ChannelSamples[0].Length / SampleRate);

    public static DecodedWav Read(string path)
    {
        ReadOnlySpan<byte> file = File.ReadAllBytes(path);
        ReadOnlySpan<byte> chunks = file[12..];
        int rate = 0, channels = 0;
        while (chunks.Length >= 8)
        {
            ReadOnlySpan<byte> id = chunks[..4];
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(chunks[4..]);
            ReadOnlySpan<byte> body = chunks[8..];
            if (id.SequenceEqual("fmt "u8))
            {
                channels = BinaryPrimitives.ReadUInt16LittleEndian(body[2..]);
                rate = (int)BinaryPrimitives.ReadUInt32LittleEndian(body[4..]);
            }
            else if (id.SequenceEqual("data"u8))
            {
                // opusdec writes the real length on close; be lenient with streamed headers.
                int bytes = Math.Min(length, body.Length);
                int frames = bytes / (2 * channels);
                var result = new short[channels][];
                for (int c = 0; c < channels; c++)
                {
                    result[c] = new short[frames];
                    for (int i = 0; i < frames; i++)
                    {
                        result[c][i] = BinaryPrimitives.ReadInt16LittleEndian(body[(2 * ((i * channels) + c))..]);
                    }
                }

                return new DecodedWav(rate, channels, result);
            }

            chunks = chunks[Math.Min(chunks.Length, 8 + length + (length & 1))..];
        }

        throw new InvalidDataException($"{path} has no data chunk.");
    }
}
