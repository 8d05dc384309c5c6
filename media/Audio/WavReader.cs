using System.Buffers.Binary;

namespace CallTracking.Media.Audio;

/// <summary>
/// Reads prompts: RIFF/WAVE files holding 16-bit PCM mono at 8000 to 48000 Hz (the caller resamples to the calls' rate).
/// Anything else is refused with a message that says what the file holds and
/// how to convert it, because prompts are files an operator supplies.
/// </summary>
public static class WavReader
{
    private const ushort FormatPcm = 1;
    private const ushort FormatIeeeFloat = 3;
    private const ushort FormatAlaw = 6;
    private const ushort FormatMulaw = 7;
    private const ushort FormatExtensible = 0xFFFE;

    public const int MinimumRate = 8_000;

    public const int MaximumRate = 48_000;

    private const string ConvertHint = "convert it with: sox in.wav -r 8000 -c 1 -b 16 -e signed-integer out.wav";

    /// <summary>Reads a prompt file.</summary>
    /// <exception cref="InvalidDataException">The file is not 16-bit PCM mono WAV at 8 to 48 kHz; the message says why.</exception>
    public static WavAudio Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        if (!TryRead(bytes, out var audio, out string? error))
        {
            throw new InvalidDataException($"{path}: {error}");
        }

        return audio;
    }

    /// <summary>Parses a whole WAV file held in memory.</summary>
    /// <returns>false with <paramref name="error"/> saying what is wrong.</returns>
    public static bool TryRead(ReadOnlySpan<byte> file, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out WavAudio? audio, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        audio = null;
        if (file.Length < 12)
        {
            error = $"truncated: {file.Length} bytes is shorter than a RIFF/WAVE header (12 bytes).";
            return false;
        }

        if (!file.StartsWith("RIFF"u8) || !file.Slice(8, 4).SequenceEqual("WAVE"u8))
        {
            error = "not a WAV file (no RIFF/WAVE header).";
            return false;
        }

        ReadOnlySpan<byte> chunks = file[12..];
        bool haveFormat = false;
        int sampleRate = 0;
        while (true)
        {
            if (chunks.Length < 8)
            {
                error = haveFormat ? "truncated: no \"data\" chunk found." : "truncated: no \"fmt \" chunk found.";
                return false;
            }

            ReadOnlySpan<byte> id = chunks[..4];
            uint declared = BinaryPrimitives.ReadUInt32LittleEndian(chunks[4..]);
            ReadOnlySpan<byte> body = chunks[8..];

            if (id.SequenceEqual("data"u8))
            {
                if (!haveFormat)
                {
                    error = "the \"data\" chunk comes before any \"fmt \" chunk.";
                    return false;
                }

                // Some writers leave the size as 0 or 0xFFFFFFFF when streaming;
                // those are not prompts we were given on purpose.
                if (declared > (uint)body.Length)
                {
                    error = $"truncated: the data chunk declares {declared} bytes but only {body.Length} follow.";
                    return false;
                }

                if (declared % 2 != 0)
                {
                    error = $"the data chunk holds {declared} bytes, not a whole number of 16-bit samples.";
                    return false;
                }

                var samples = new short[declared / 2];
                ReadOnlySpan<byte> data = body[..(int)declared];
                for (int i = 0; i < samples.Length; i++)
                {
                    samples[i] = BinaryPrimitives.ReadInt16LittleEndian(data[(2 * i)..]);
                }

                audio = new WavAudio(samples, sampleRate);
                error = null;
                return true;
            }

            if (declared > (uint)body.Length)
            {
                error = $"truncated: the \"{System.Text.Encoding.ASCII.GetString(id)}\" chunk declares {declared} bytes but only {body.Length} follow.";
                return false;
            }

            if (id.SequenceEqual("fmt "u8))
            {
                if (!TryReadFormat(body[..(int)declared], out sampleRate, out error))
                {
                    return false;
                }

                haveFormat = true;
            }

            // RIFF chunks are padded to an even length.
            int skip = 8 + (int)declared + (int)(declared & 1);
            chunks = skip <= chunks.Length ? chunks[skip..] : [];
        }
    }

    private static bool TryReadFormat(ReadOnlySpan<byte> fmt, out int sampleRate, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        sampleRate = 0;
        if (fmt.Length < 16)
        {
            error = $"truncated: the \"fmt \" chunk is {fmt.Length} bytes, shorter than 16.";
            return false;
        }

        ushort format = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        ushort channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        uint rate = BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]);
        ushort bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);

        // WAVE_FORMAT_EXTENSIBLE names the real format in the first two bytes of its sub-format GUID.
        if (format == FormatExtensible && fmt.Length >= 26)
        {
            format = BinaryPrimitives.ReadUInt16LittleEndian(fmt[24..]);
        }

        error = format switch
        {
            FormatPcm => null,
            FormatIeeeFloat => $"samples are {bits}-bit floating point; prompts must be 16-bit integer PCM ({ConvertHint}).",
            FormatAlaw or FormatMulaw => $"samples are G.711 {(format == FormatAlaw ? "A-law" : "µ-law")}; prompts must be 16-bit linear PCM ({ConvertHint}).",
            _ => $"the audio format is 0x{format:X4}, not PCM; prompts must be 16-bit PCM ({ConvertHint}).",
        };
        if (error is not null)
        {
            return false;
        }

        if (bits != 16)
        {
            error = $"samples are {bits}-bit; prompts must be 16-bit PCM ({ConvertHint}).";
            return false;
        }

        if (channels != 1)
        {
            error = channels == 2
                ? $"the file is stereo; prompts must be mono ({ConvertHint})."
                : $"the file has {channels} channels; prompts must be mono ({ConvertHint}).";
            return false;
        }

        if (rate is < MinimumRate or > MaximumRate)
        {
            error = $"the sample rate is {rate} Hz; prompts must be {MinimumRate} to {MaximumRate} Hz ({ConvertHint}).";
            return false;
        }

        sampleRate = (int)rate;
        return true;
    }
}
