using System.Diagnostics;
using Xunit.Abstractions;
using CallTracking.IntegrationTests.Audio;
using CallTracking.Media.Transcription;

namespace CallTracking.IntegrationTests.Transcription;

/// <summary>
/// libwhisper for real with the generated tiny model: the text is noise, the timing is not.
/// Decoding once per window (no temperature fallback) keeps a random model fast: its
/// guesses never look reliable, so with fallback whisper.cpp would decode every window six
/// times over.
/// </summary>
[Collection(WhisperCollection.Name)]
public sealed class WhisperTranscriptionTests(WhisperFixture fixture, ITestOutputHelper output)
{
    private static readonly WhisperOptions Fast = new() { Language = "en", Threads = 2, TemperatureIncrement = 0 };

    [Fact]
    public async Task Speech_becomes_segments_with_text_and_increasing_timestamps_inside_the_audio()
    {
        var pcm = await SpeechAsync(
            "Thank you for calling Acme Plumbing. How can I help you today? I would like to book a plumber for tomorrow morning, my kitchen sink is leaking.");
        var durationMs = pcm.Length * 1000L / WhisperTranscriber.SampleRate;
        Assert.InRange(durationMs, 5_000, 20_000);

        using var transcriber = fixture.Model.CreateTranscriber();
        var watch = Stopwatch.StartNew();
        var transcript = transcriber.Transcribe(pcm, Fast);
        watch.Stop();
        output.WriteLine($"{durationMs} ms of speech in {watch.ElapsedMilliseconds} ms, language {transcript.Language}:");
        foreach (var segment in transcript.Segments)
        {
            output.WriteLine($"  {segment.StartMs,6}-{segment.EndMs,6} ms  p={segment.Confidence:0.000}  {segment.Text}");
        }

        Assert.NotEmpty(transcript.Segments);
        Assert.Equal("en", transcript.Language);
        long previousStart = 0;
        foreach (var segment in transcript.Segments)
        {
            Assert.InRange(segment.StartMs, previousStart, durationMs);
            Assert.InRange(segment.EndMs, segment.StartMs, durationMs);
            Assert.False(string.IsNullOrWhiteSpace(segment.Text));
            Assert.InRange(segment.Confidence, 0f, 1f);
            previousStart = segment.StartMs;
        }

        Assert.True(transcript.Segments[^1].EndMs > transcript.Segments[0].StartMs, "the segments cover no time");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
    }

    [Fact]
    public void The_same_audio_gives_the_same_transcript()
    {
        var pcm = Synthetic(TimeSpan.FromSeconds(6));
        using var transcriber = fixture.Model.CreateTranscriber();

        var first = transcriber.Transcribe(pcm, Fast);
        var second = transcriber.Transcribe(pcm, Fast);

        Assert.Equal(first.Segments, second.Segments);
    }

    [Fact]
    public void Without_a_language_the_model_detects_one()
    {
        using var transcriber = fixture.Model.CreateTranscriber();

        var transcript = transcriber.Transcribe(Synthetic(TimeSpan.FromSeconds(4)), Fast with { Language = null });

        Assert.True(fixture.Model.IsMultilingual);
        Assert.NotNull(transcript.Language);
        Assert.Matches("^[a-z]{2,3}$", transcript.Language);
    }

    [Fact]
    public void Two_transcribers_of_one_model_work_at_the_same_time()
    {
        var pcm = Synthetic(TimeSpan.FromSeconds(4));
        using var one = fixture.Model.CreateTranscriber();
        using var two = fixture.Model.CreateTranscriber();
        var options = Fast with { Threads = 1 };

        var results = new WhisperTranscript[2];
        Parallel.Invoke(
            () => results[0] = one.Transcribe(pcm, options),
            () => results[1] = two.Transcribe(pcm, options));

        Assert.NotEmpty(results[0].Segments);
        Assert.Equal(results[0].Segments, results[1].Segments);
    }

    [Fact]
    public void Empty_audio_gives_an_empty_transcript_without_calling_whisper()
    {
        using var transcriber = fixture.Model.CreateTranscriber();

        var transcript = transcriber.Transcribe([], Fast);

        Assert.Empty(transcript.Segments);
        Assert.Null(transcript.Language);
    }

    [Fact]
    public void Cancellation_stops_whisper_in_the_middle()
    {
        // Two minutes with temperature fallback: many seconds of work unless stopped.
        var pcm = Synthetic(TimeSpan.FromMinutes(2));
        using var transcriber = fixture.Model.CreateTranscriber();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var watch = Stopwatch.StartNew();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            transcriber.Transcribe(pcm, Fast with { TemperatureIncrement = 0.2f }, cancellation.Token));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"stopped only after {watch.Elapsed}");
        // The state is still usable after an abort.
        Assert.NotEmpty(transcriber.Transcribe(Synthetic(TimeSpan.FromSeconds(3)), Fast).Segments);
    }

    [Fact]
    public void An_unknown_language_is_refused_before_whisper_runs()
    {
        using var transcriber = fixture.Model.CreateTranscriber();

        var error = Assert.Throws<ArgumentException>(() => transcriber.Transcribe(Synthetic(TimeSpan.FromSeconds(1)), Fast with { Language = "klingon" }));

        Assert.Contains("klingon", error.Message, StringComparison.Ordinal);
    }

    // Tones that come and go, with a little noise: audio, not silence, with no tool needed.
    private static float[] Synthetic(TimeSpan duration)
    {
        var random = new Random(7);
        var samples = new float[(int)(duration.TotalSeconds * WhisperTranscriber.SampleRate)];
        for (var i = 0; i < samples.Length; i++)
        {
            var on = i / 4000 % 2 == 0;
            var hz = 220 * (1 + (i / 8000 % 3));
            samples[i] = (on ? 0.3f * MathF.Sin(2 * MathF.PI * hz * i / WhisperTranscriber.SampleRate) : 0f)
                + (0.01f * ((float)random.NextDouble() - 0.5f));
        }

        return samples;
    }

    // espeak-ng's voice resampled by sox to whisper's 16 kHz.
    private async Task<float[]> SpeechAsync(string text)
    {
        var directory = fixture.Directory.SubDirectory("speech");
        var raw = Path.Combine(directory, "espeak.wav");
        var wav = Path.Combine(directory, "speech-16k.wav");
        await ExternalTool.RunAsync("espeak-ng", ["-v", "en-us", "-w", raw, text]);
        await ExternalTool.RunAsync("sox", ["-G", "-D", raw, "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", wav]);
        var audio = Wav.ReadMono(wav);
        Assert.Equal(WhisperTranscriber.SampleRate, audio.SampleRate);
        return [.. audio.Samples.Select(sample => sample / 32768f)];
    }
}
