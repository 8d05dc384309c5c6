using System.Buffers.Binary;
using System.Text;

namespace CallTracking.IntegrationTests.Audio;

/// <summary>The channels of a 16-bit PCM WAV file, de-interleaved.</summary>
public sealed record WavContent(int SampleRate, IReadOnlyList<short[]> Channels)
{
    public int ChannelCount => Channels.Count;

    public TimeSpan Duration => TimeSpan.FromSeconds(Channels.Count == 0 ? 0 : (double)Channels[0].Length / SampleRate);

    public PcmAudio Channel(int index) => new(Channels[index], SampleRate);
}

/// <summary>
/// Reads and writes 16-bit PCM WAV (RIFF) files, test-side and independent of the product's reader.
/// Reading accepts WAVE_FORMAT_PCM and WAVE_FORMAT_EXTENSIBLE with a PCM sub-format, any
/// number of channels, skips chunks it does not know (LIST, fact, …), and tolerates a data chunk
/// whose size says more than the file holds (streamed writers put 0 or 0xFFFFFFFF there).
/// </summary>
public static class Wav
{
    private const ushort FormatPcm = 1;
    private const ushort FormatExtensible = 0xFFFE;

    public static WavContent Read(string path) => Parse(File.ReadAllBytes(path), path);

    /// <summary>Reads a mono file; throws when it has another number of channels.</summary>
    public static PcmAudio ReadMono(string path)
    {
        var content = Read(path);
        if (content.ChannelCount != 1)
        {
            throw new InvalidDataException($"{path}: expected a mono WAV, found {content.ChannelCount} channels.");
        }

        return content.Channel(0);
    }

    public static void Write(string path, PcmAudio audio)
    {
        ArgumentNullException.ThrowIfNull(audio);
        Write(path, audio.SampleRate, audio.Samples);
    }

    /// <summary>Writes 16-bit PCM with one channel per array (equal lengths), interleaved.</summary>
    public static void Write(string path, int sampleRate, params short[][] channels)
    {
        File.WriteAllBytes(path, Build(sampleRate, channels));
    }

    public static byte[] Build(int sampleRate, params short[][] channels)
    {
        ArgumentNullException.ThrowIfNull(channels);
        if (channels.Length == 0 || channels.Any(c => c.Length != channels[0].Length))
        {
            throw new ArgumentException("Give at least one channel; all channels must have the same length.", nameof(channels));
        }

        var frames = channels[0].Length;
        var blockAlign = 2 * channels.Length;
        var dataBytes = frames * blockAlign;
        var bytes = new byte[44 + dataBytes];
        var span = bytes.AsSpan();
        Encoding.ASCII.GetBytes("RIFF", span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], 36 + dataBytes);
        Encoding.ASCII.GetBytes("WAVE", span[8..]);
        Encoding.ASCII.GetBytes("fmt ", span[12..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(span[20..], FormatPcm);
        BinaryPrimitives.WriteUInt16LittleEndian(span[22..], (ushort)channels.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], sampleRate * blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(span[32..], (ushort)blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(span[34..], 16);
        Encoding.ASCII.GetBytes("data", span[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[40..], dataBytes);
        var offset = 44;
        for (var i = 0; i < frames; i++)
        {
            foreach (var channel in channels)
            {
                BinaryPrimitives.WriteInt16LittleEndian(span[offset..], channel[i]);
                offset += 2;
            }
        }

        return bytes;
    }

    public static WavContent Parse(ReadOnlySpan<byte> bytes, string name = "WAV")
    {
        if (bytes.Length < 12 || !bytes[..4].SequenceEqual("RIFF"u8) || !bytes[8..12].SequenceEqual("WAVE"u8))
        {
            throw new InvalidDataException($"{name}: not a RIFF/WAVE file.");
        }

        int? sampleRate = null;
        var channelCount = 0;
        var offset = 12;
        while (offset + 8 <= bytes.Length)
        {
            var id = bytes.Slice(offset, 4);
            var declared = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(offset + 4)..]);
            var body = offset + 8;
            var size = (int)Math.Min(declared, (uint)(bytes.Length - body));
            if (id.SequenceEqual("fmt "u8))
            {
                var fmt = bytes.Slice(body, size);
                var tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
                channelCount = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
                sampleRate = BinaryPrimitives.ReadInt32LittleEndian(fmt[4..]);
                var bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
                if (tag == FormatExtensible && fmt.Length >= 26)
                {
                    tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt[24..]);
                }

                if (tag != FormatPcm || bits != 16 || channelCount < 1)
                {
                    throw new InvalidDataException($"{name}: only 16-bit PCM is supported (format tag {tag}, {bits} bits, {channelCount} channels).");
                }
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (sampleRate is null)
                {
                    throw new InvalidDataException($"{name}: data chunk before the fmt chunk.");
                }

                // A streamed writer may leave 0 in the size: take the rest of the file.
                var length = declared == 0 ? bytes.Length - body : size;
                var data = bytes.Slice(body, length);
                var frames = data.Length / (2 * channelCount);
                var channels = new short[channelCount][];
                for (var c = 0; c < channelCount; c++)
                {
                    channels[c] = new short[frames];
                }

                for (var i = 0; i < frames; i++)
                {
                    for (var c = 0; c < channelCount; c++)
                    {
                        channels[c][i] = BinaryPrimitives.ReadInt16LittleEndian(data[(2 * ((i * channelCount) + c))..]);
                    }
                }

                return new WavContent(sampleRate.Value, channels);
            }

            // Chunks are padded to an even size.
            offset = body + size + (size & 1);
        }

        throw new InvalidDataException($"{name}: no data chunk.");
    }
}
