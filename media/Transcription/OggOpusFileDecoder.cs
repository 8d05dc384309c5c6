using System.Buffers.Binary;
using CallTracking.Media.Codecs.Opus;
using CallTracking.Media.Recording;

namespace CallTracking.Media.Transcription;

/// <summary>
/// Decodes a whole Ogg Opus file (RFC 7845) into one 16 kHz float track per channel, as Whisper wants it.
/// libopus decodes at 16 kHz itself (RFC 6716 §4: any stream decodes at any of its rates), so no separate
/// resampling step is needed whatever rate the recording was made from (OpusHead's input rate is informational).
/// </summary>
public static class OggOpusFileDecoder
{
    /// <summary>The output rate: <see cref="WhisperTranscriber.SampleRate"/>.</summary>
    public const int SampleRate = WhisperTranscriber.SampleRate;

    // RFC 7845 §4.2: pre-skip and granule positions count 48 kHz samples.
    private const int GranuleRate = 48000;

    /// <summary>Reads and decodes <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not Ogg Opus.</exception>
    public static DecodedAudio Decode(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Decode(File.ReadAllBytes(path), path);
    }

    /// <summary>Decodes an Ogg Opus file held in memory; <paramref name="name"/> names it in errors.</summary>
    public static DecodedAudio Decode(ReadOnlySpan<byte> file, string name) => Decode(file, name, SampleRate);

    /// <summary>
    /// Decodes at <paramref name="sampleRate"/> (8, 12, 16, 24 or 48 kHz; RFC 6716 §4): the redacted copy of a
    /// recording decodes at the recording's own 8 kHz so that re-encoding it changes nothing but the spans.
    /// </summary>
    public static DecodedAudio Decode(ReadOnlySpan<byte> file, string name, int sampleRate)
    {
        if (sampleRate is not (8000 or 12000 or 16000 or 24000 or 48000))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "Opus decodes at 8, 12, 16, 24 or 48 kHz.");
        }

        // RFC 6716 §2: the longest packet is 120 ms.
        var maxFrameSamples = sampleRate * 120 / 1000;
        var packets = new List<byte[]>();
        var partial = new List<byte>();
        long lastGranule = -1;
        uint? serial = null;
        var position = 0;
        while (!file.IsEmpty)
        {
            var result = OggPageReader.TryRead(file, out var page, out var consumed);
            if (result == OggPageReadResult.Incomplete)
            {
                // A recording cut short by a crash: keep what was complete.
                break;
            }

            if (result == OggPageReadResult.NotAPage)
            {
                throw new InvalidDataException($"{name} is not an Ogg file (no Ogg page at byte {position})");
            }

            if (result == OggPageReadResult.Page && (serial ??= page.SerialNumber) == page.SerialNumber)
            {
                // RFC 3533 §6: lacing values of 255 continue a packet; a smaller one ends it.
                var body = page.Body;
                var offset = 0;
                foreach (var lacing in page.SegmentTable)
                {
                    for (var i = 0; i < lacing; i++)
                    {
                        partial.Add(body[offset + i]);
                    }

                    offset += lacing;
                    if (lacing < 255)
                    {
                        packets.Add([.. partial]);
                        partial.Clear();
                    }
                }

                if (page.GranulePosition >= 0)
                {
                    lastGranule = page.GranulePosition;
                }
            }

            file = file[consumed..];
            position += consumed;
        }

        if (packets.Count < 2 || !packets[0].AsSpan().StartsWith("OpusHead"u8) || packets[0].Length < OggOpusHeader.OpusHeadLength)
        {
            throw new InvalidDataException($"{name} is not an Ogg Opus file (no OpusHead)");
        }

        var head = packets[0];
        int channels = head[9];
        int preSkip = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(10));
        if (channels is < 1 or > 2)
        {
            throw new InvalidDataException($"{name} has {channels} channels; only mono and stereo (channel mapping family 0) are read");
        }

        using var decoder = new OpusDecoder(sampleRate, channels);
        var tracks = new List<float>[channels];
        for (var c = 0; c < channels; c++)
        {
            tracks[c] = new List<float>();
        }

        var pcm = new short[maxFrameSamples * channels];

        // packets[1] is OpusTags (RFC 7845 §5.2).
        for (var p = 2; p < packets.Count; p++)
        {
            int samples;
            try
            {
                samples = decoder.Decode(packets[p], pcm, maxFrameSamples);
            }
            catch (OpusException)
            {
                // A corrupt packet: conceal it as a lost one (20 ms) rather than lose the whole recording.
                samples = decoder.Decode([], pcm, sampleRate / 50);
            }

            for (var i = 0; i < samples; i++)
            {
                for (var c = 0; c < channels; c++)
                {
                    tracks[c].Add(pcm[(i * channels) + c] / 32768f);
                }
            }
        }

        var skip = (int)Math.Min(tracks[0].Count, (long)preSkip * sampleRate / GranuleRate);
        var length = tracks[0].Count - skip;
        if (lastGranule >= preSkip)
        {
            // RFC 7845 §4.5: the last page's granule position trims the padding of the last packet.
            length = (int)Math.Min(length, (lastGranule - preSkip) * sampleRate / GranuleRate);
        }

        var decoded = new float[channels][];
        for (var c = 0; c < channels; c++)
        {
            decoded[c] = tracks[c].GetRange(skip, Math.Max(0, length)).ToArray();
        }

        return new DecodedAudio(sampleRate, decoded);
    }
}
