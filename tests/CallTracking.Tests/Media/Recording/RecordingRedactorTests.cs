using CallTracking.Media.Recording;
using CallTracking.Media.Transcription;
using Microsoft.Extensions.Time.Testing;

namespace CallTracking.Tests.Media.Recording;

public sealed class RecordingRedactorTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 12, 1, 5, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Overwrite_puts_the_tone_exactly_in_the_span_plus_margin_on_that_channel_only()
    {
        var left = Enumerable.Repeat(0.1f, 8000 * 3).ToArray();
        var right = Enumerable.Repeat(-0.1f, 8000 * 3).ToArray();
        var audio = new DecodedAudio(8000, [left, right]);

        RecordingRedactor.Overwrite(audio, new ToneSpan(0, 1000, 1500), RecordingRedactor.Margin);

        // 800 ms .. 1700 ms at 8 kHz: samples 6400 .. 13599.
        Assert.Equal(0.1f, left[6399]);
        Assert.Equal(0.1f, left[13600]);
        Assert.All(right, s => Assert.Equal(-0.1f, s));
        var span = left.AsSpan(6400, 13600 - 6400);
        Assert.True(Power(span, 1000) > 0.99 * Energy(span), "the span is not a 1 kHz tone");
        Assert.InRange(Math.Sqrt(2 * Energy(span)), RecordingRedactor.ToneLevel * 0.99, RecordingRedactor.ToneLevel * 1.01);
    }

    [Fact]
    public void Overwrite_clips_a_span_at_the_ends_of_the_recording()
    {
        var left = new float[8000];
        var audio = new DecodedAudio(8000, [left, new float[8000]]);

        RecordingRedactor.Overwrite(audio, new ToneSpan(0, 900, 5000), RecordingRedactor.Margin);

        Assert.All(left.AsSpan(0, 5600).ToArray(), s => Assert.Equal(0f, s));
        Assert.True(Energy(left.AsSpan(5600)) > 0.02);
    }

    [Fact]
    public void Redacted_copy_has_the_tone_in_the_span_and_the_original_audio_elsewhere()
    {
        // A stereo recording made by the recorder itself: 300 Hz on the caller's side, 500 Hz on the other.
        var original = new MemoryStream();
        using (var encoder = new OpusRecordingEncoder())
        {
            var recorder = new CallRecorder(original, encoder, Clock, serialNumber: 7);
            var caller = Signals.Tone(300, 8000, TimeSpan.FromSeconds(3));
            var other = Signals.Tone(500, 8000, TimeSpan.FromSeconds(3));
            for (var f = 0; f < 150; f++)
            {
                recorder.WriteFrame(caller.AsSpan(f * 160, 160), other.AsSpan(f * 160, 160));
            }

            recorder.Complete();
        }

        var redacted = new MemoryStream();
        using (var encoder = new OpusRecordingEncoder())
        {
            RecordingRedactor.Redact(original.ToArray(), [new ToneSpan(0, 1000, 1500)], redacted, encoder, Clock, serialNumber: 8);
        }

        var before = OggOpusFileDecoder.Decode(original.ToArray(), "original", 8000);
        var after = OggOpusFileDecoder.Decode(redacted.ToArray(), "redacted", 8000);
        Assert.Equal(2, after.Channels.Count);
        Assert.InRange(after.DurationMs, before.DurationMs, before.DurationMs + 20);

        // Inside the widened span (800-1700 ms), 20 ms in from each edge: the tone on the left.
        var toned = after.Channels[0].AsSpan(6560, 7040);
        Assert.True(Power(toned, 1000) > 0.9 * Energy(toned), $"1 kHz holds {Power(toned, 1000) / Energy(toned):F2} of the span");
        Assert.True(Power(toned, 300) < 0.01 * Energy(toned), "the caller's audio is still audible in the span");

        // Elsewhere on the left, and all of the right: the original, within codec tolerance.
        foreach (var (channel, from, count, hz) in new[] { (0, 800, 4800, 300), (0, 14400, 8000, 300), (1, 800, 22400, 500) })
        {
            var a = after.Channels[channel].AsSpan(from, count);
            var b = before.Channels[channel].AsSpan(from, count);
            Assert.True(Power(a, hz) > 0.9 * Energy(a), $"channel {channel} at {from}: {hz} Hz holds {Power(a, hz) / Energy(a):F2}");
            Assert.True(Power(a, 1000) < 0.01 * Energy(a), $"channel {channel} at {from}: a tone outside the span");
            Assert.InRange(Energy(a), 0.8 * Energy(b), 1.25 * Energy(b));
        }
    }

    /// <summary>Goertzel: the mean power at <paramref name="frequency"/> (8 kHz); a pure tone there gives all of <see cref="Energy"/>.</summary>
    private static double Power(ReadOnlySpan<float> samples, double frequency)
    {
        var coefficient = 2 * Math.Cos(2 * Math.PI * frequency / 8000);
        double s1 = 0, s2 = 0;
        foreach (var x in samples)
        {
            var s0 = x + (coefficient * s1) - s2;
            s2 = s1;
            s1 = s0;
        }

        return ((s1 * s1) + (s2 * s2) - (coefficient * s1 * s2)) * 2 / ((double)samples.Length * samples.Length);
    }

    private static double Energy(ReadOnlySpan<float> samples)
    {
        double sum = 0;
        foreach (var x in samples)
        {
            sum += (double)x * x;
        }

        return sum / samples.Length;
    }
}
