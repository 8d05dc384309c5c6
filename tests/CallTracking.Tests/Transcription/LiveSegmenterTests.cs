using CallTracking.Media.Transcription;

namespace CallTracking.Tests.Transcription;

public sealed class LiveSegmenterTests
{
    private const int Frame = LiveAudioTap.FrameSamples;
    private static readonly LiveSegmenterOptions Options = new();

    [Fact]
    public void Silence_opens_no_utterance_and_flushes_nothing()
    {
        var segmenter = new LiveSegmenter(Options);

        var cuts = Feed(segmenter, Audio(seconds: 5), firstFrame: 0);

        Assert.Empty(cuts);
        Assert.False(segmenter.IsOpen);
        Assert.Null(segmenter.Flush());
    }

    [Fact]
    public void Speech_is_cut_at_the_pause_after_it_with_the_preroll_before_and_the_hangover_after()
    {
        var segmenter = new LiveSegmenter(Options);
        var audio = Audio(seconds: 4);
        Tone(audio, fromMs: 1000, toMs: 2000);

        var cuts = Feed(segmenter, audio, firstFrame: 0);

        var (frame, utterance) = Assert.Single(cuts);

        // Voiced 1.0-2.0 s; the pause (600 ms) is complete with the frame ending at 2.6 s.
        Assert.Equal(2600 / 20 - 1, frame);
        Assert.Equal(1000 - Options.PrerollMs, utterance.StartMs);
        Assert.Equal(2000 + Options.Voice.HangoverMs, utterance.EndMs);
        Assert.Equal((utterance.EndMs - utterance.StartMs) * WhisperTranscriber.SampleRate / 1000, utterance.Pcm16k.Length);
        Assert.False(segmenter.IsOpen);
    }

    [Fact]
    public void Times_count_from_the_first_frame_index_given()
    {
        var segmenter = new LiveSegmenter(Options);
        var audio = Audio(seconds: 2);
        Tone(audio, fromMs: 500, toMs: 1000);

        var (_, utterance) = Assert.Single(Feed(segmenter, audio, firstFrame: 100));

        Assert.Equal(2000 + 500 - Options.PrerollMs, utterance.StartMs);
    }

    [Fact]
    public void Speech_without_a_pause_is_cut_every_ten_seconds_and_the_rest_at_flush()
    {
        var segmenter = new LiveSegmenter(Options);
        var audio = Audio(seconds: 25);
        Tone(audio, fromMs: 0, toMs: 25_000);

        var cuts = Feed(segmenter, audio, firstFrame: 0);
        var last = segmenter.Flush();

        Assert.Equal([(499L, 0L, 10_000L), (999L, 10_000L, 20_000L)], cuts.Select(c => (c.Frame, c.Utterance.StartMs, c.Utterance.EndMs)));
        Assert.NotNull(last);
        Assert.Equal((20_000L, 25_000L), (last.StartMs, last.EndMs));
    }

    [Fact]
    public void A_click_shorter_than_the_minimum_speech_is_dropped()
    {
        var segmenter = new LiveSegmenter(Options);
        var audio = Audio(seconds: 3);
        Tone(audio, fromMs: 1000, toMs: 1060);

        Assert.Empty(Feed(segmenter, audio, firstFrame: 0));
        Assert.Null(segmenter.Flush());
    }

    [Fact]
    public void Missing_frames_cut_the_open_utterance_where_its_audio_ends()
    {
        var segmenter = new LiveSegmenter(Options);
        var audio = Audio(seconds: 2);
        Tone(audio, fromMs: 0, toMs: 2000);

        // Frames 0-49 (1 s of speech), then the tap dropped frames 50-59.
        Assert.Empty(Feed(segmenter, audio.AsSpan(0, 50 * Frame).ToArray(), firstFrame: 0));
        var cut = segmenter.Push(60, audio.AsSpan(60 * Frame, Frame));

        Assert.NotNull(cut);
        Assert.Equal((0L, 1000L), (cut.StartMs, cut.EndMs));

        // Frame 60 opened the next utterance, timed by its own index.
        Assert.True(segmenter.IsOpen);
        var rest = Feed(segmenter, audio.AsSpan(61 * Frame).ToArray(), firstFrame: 61);
        Assert.Empty(rest);
        var next = segmenter.Flush();
        Assert.NotNull(next);
        Assert.Equal((1200L, 2000L), (next.StartMs, next.EndMs));
    }

    [Fact]
    public void Empty_frames_are_silence()
    {
        var segmenter = new LiveSegmenter(Options);
        var audio = Audio(seconds: 1);
        Tone(audio, fromMs: 0, toMs: 1000);
        Assert.Empty(Feed(segmenter, audio, firstFrame: 0));

        LiveUtterance? cut = null;
        for (var frame = 50; cut is null && frame < 100; frame++)
        {
            cut = segmenter.Push(frame, default);
        }

        Assert.NotNull(cut);
        Assert.Equal((0L, 1000L + Options.Voice.HangoverMs), (cut.StartMs, cut.EndMs));
    }

    private static short[] Audio(int seconds) => new short[seconds * LiveAudioTap.SampleRate];

    /// <summary>A 200 Hz tone at -10 dBFS: voiced by level and zero crossings.</summary>
    private static void Tone(short[] audio, int fromMs, int toMs)
    {
        for (var i = fromMs * 8; i < toMs * 8; i++)
        {
            audio[i] = (short)(0.3 * short.MaxValue * Math.Sin(2 * Math.PI * 200 * i / LiveAudioTap.SampleRate));
        }
    }

    private static List<(long Frame, LiveUtterance Utterance)> Feed(LiveSegmenter segmenter, short[] audio, long firstFrame)
    {
        var cuts = new List<(long, LiveUtterance)>();
        for (var i = 0; i + Frame <= audio.Length; i += Frame)
        {
            var frame = firstFrame + (i / Frame);
            if (segmenter.Push(frame, audio.AsSpan(i, Frame)) is { } cut)
            {
                cuts.Add((frame, cut));
            }
        }

        return cuts;
    }
}
