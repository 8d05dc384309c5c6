namespace CallTracking.Media.Transcription;

/// <summary>
/// Finds the speech in a track by frame energy and zero-crossing rate, with a hangover, so silence is never given
/// to Whisper (which costs time on it and invents words in it). Stateless.
/// </summary>
public static class VoiceActivityDetector
{
    /// <summary>The speech regions of <paramref name="samples"/> (at <paramref name="sampleRate"/>), in order, not overlapping.</summary>
    public static IReadOnlyList<SpeechRegion> Detect(ReadOnlySpan<float> samples, int sampleRate, VoiceActivityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        var frame = Math.Max(1, sampleRate * options.FrameMs / 1000);
        var threshold = Math.Pow(10, options.ThresholdDbfs / 20);
        var loud = threshold * Math.Pow(10, 15.0 / 20);
        var hangoverFrames = options.HangoverMs / Math.Max(1, options.FrameMs);
        var minSpeechFrames = Math.Max(1, options.MinSpeechMs / Math.Max(1, options.FrameMs));
        var frames = samples.Length / frame + (samples.Length % frame == 0 ? 0 : 1);

        var raw = new List<SpeechRegion>();
        var start = -1;
        var lastVoiced = -1;
        var voicedCount = 0;
        for (var f = 0; f < frames; f++)
        {
            var from = f * frame;
            var span = samples.Slice(from, Math.Min(frame, samples.Length - from));
            var voiced = IsVoiced(span, threshold, loud, options.MaxZeroCrossingRate);
            if (voiced)
            {
                if (start < 0)
                {
                    start = f;
                    voicedCount = 0;
                }

                lastVoiced = f;
                voicedCount++;
            }
            else if (start >= 0 && f - lastVoiced > hangoverFrames)
            {
                Close(raw, start, lastVoiced + 1 + hangoverFrames, voicedCount, minSpeechFrames, frame);
                start = -1;
            }
        }

        if (start >= 0)
        {
            Close(raw, start, lastVoiced + 1 + hangoverFrames, voicedCount, minSpeechFrames, frame);
        }

        var padding = sampleRate * options.PaddingMs / 1000;
        var gap = sampleRate * options.MergeGapMs / 1000;
        var merged = new List<SpeechRegion>(raw.Count);
        foreach (var region in raw)
        {
            var padded = new SpeechRegion(Math.Max(0, region.Start - padding), Math.Min(samples.Length, region.End));
            if (merged.Count > 0 && padded.Start - merged[^1].End <= gap)
            {
                merged[^1] = merged[^1] with { End = Math.Max(merged[^1].End, padded.End) };
            }
            else
            {
                merged.Add(padded);
            }
        }

        return merged;
    }

    /// <summary>
    /// Whether one analysis frame is speech by <paramref name="options"/>' level and zero-crossing rules (no
    /// hangover, no minimum length: those are the caller's, as in <see cref="Detect"/> and the live segmenter).
    /// </summary>
    public static bool IsVoiced(ReadOnlySpan<float> frame, VoiceActivityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var threshold = Math.Pow(10, options.ThresholdDbfs / 20);
        return IsVoiced(frame, threshold, threshold * Math.Pow(10, 15.0 / 20), options.MaxZeroCrossingRate);
    }

    private static void Close(List<SpeechRegion> regions, int startFrame, int endFrame, int voicedFrames, int minSpeechFrames, int frame)
    {
        if (voicedFrames >= minSpeechFrames)
        {
            regions.Add(new SpeechRegion(startFrame * frame, endFrame * frame));
        }
    }

    private static bool IsVoiced(ReadOnlySpan<float> frame, double threshold, double loud, double maxZeroCrossingRate)
    {
        if (frame.IsEmpty)
        {
            return false;
        }

        double energy = 0;
        var crossings = 0;
        for (var i = 0; i < frame.Length; i++)
        {
            energy += frame[i] * (double)frame[i];
            if (i > 0 && (frame[i] >= 0) != (frame[i - 1] >= 0))
            {
                crossings++;
            }
        }

        var rms = Math.Sqrt(energy / frame.Length);
        if (rms < threshold)
        {
            return false;
        }

        var zcr = (double)crossings / frame.Length;
        return zcr <= maxZeroCrossingRate || rms >= loud;
    }
}
