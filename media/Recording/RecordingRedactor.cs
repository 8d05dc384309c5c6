using CallTracking.Media.Transcription;

namespace CallTracking.Media.Recording;

/// <summary>
/// Makes the redacted copy of a recording: decodes the two-channel Ogg Opus file at its own 8 kHz, replaces each
/// span (widened by <see cref="Margin"/>, since span times are estimated from segment times) on its channel with a
/// 1 kHz tone, and encodes the result again with the recorder's own encoder and Ogg writer (<see cref="CallRecorder"/>),
/// so the copy is the same kind of file as the original. The tone, not silence: a listener hears that something
/// was removed (the convention of bleeped audio), and it is easy to find by measurement.
/// </summary>
public static class RecordingRedactor
{
    public const int ToneHz = 1000;

    /// <summary>Peak amplitude of the tone: −12 dBFS, moderate next to speech peaks.</summary>
    public const float ToneLevel = 0.25f;

    public static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(200);

    /// <summary>Writes the redacted copy of <paramref name="oggOpus"/> to <paramref name="output"/> (left open).</summary>
    /// <exception cref="InvalidDataException">The input is not a stereo Ogg Opus file.</exception>
    public static void Redact(ReadOnlySpan<byte> oggOpus, IReadOnlyList<ToneSpan> spans, Stream output, IOpusFrameEncoder stereoEncoder, TimeProvider time, uint serialNumber)
    {
        ArgumentNullException.ThrowIfNull(spans);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(stereoEncoder);
        var audio = OggOpusFileDecoder.Decode(oggOpus, "recording", CallRecorder.SampleRate);
        if (audio.Channels.Count != 2)
        {
            throw new InvalidDataException($"a recording has two channels, not {audio.Channels.Count}");
        }

        foreach (var span in spans)
        {
            Overwrite(audio, span, Margin);
        }

        var recorder = new CallRecorder(output, stereoEncoder, time, serialNumber, [new("REDACTED", "tone")]);
        var left = new short[CallRecorder.FrameSamples];
        var right = new short[CallRecorder.FrameSamples];
        var length = audio.Channels[0].Length;
        for (var at = 0; at < length; at += CallRecorder.FrameSamples)
        {
            // The last partial frame is padded with silence: the copy may be up to 20 ms longer, never shorter.
            for (var i = 0; i < CallRecorder.FrameSamples; i++)
            {
                left[i] = ToPcm(at + i < length ? audio.Channels[0][at + i] : 0f);
                right[i] = ToPcm(at + i < length ? audio.Channels[1][at + i] : 0f);
            }

            recorder.WriteFrame(left, right);
        }

        recorder.Complete();
    }

    /// <summary>Replaces the span, widened by <paramref name="margin"/> each side and clipped to the audio, with the tone.</summary>
    public static void Overwrite(DecodedAudio audio, ToneSpan span, TimeSpan margin)
    {
        ArgumentNullException.ThrowIfNull(audio);
        if (span.Channel < 0 || span.Channel >= audio.Channels.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(span), span.Channel, "no such channel");
        }

        var track = audio.Channels[span.Channel];
        var from = Math.Clamp((span.StartMs - (long)margin.TotalMilliseconds) * audio.SampleRate / 1000, 0, track.Length);
        var to = Math.Clamp((span.EndMs + (long)margin.TotalMilliseconds) * audio.SampleRate / 1000, 0, track.Length);
        for (var i = from; i < to; i++)
        {
            // Phase counted from the start of the recording: overlapping spans stay one continuous tone.
            track[i] = ToneLevel * MathF.Sin(2 * MathF.PI * ToneHz * (i % audio.SampleRate) / audio.SampleRate);
        }
    }

    private static short ToPcm(float sample) => (short)Math.Clamp(MathF.Round(sample * 32768f), short.MinValue, short.MaxValue);
}
