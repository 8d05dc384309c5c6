using System.Text;
using CallTracking.Media.Recording;
using Microsoft.Extensions.Time.Testing;

namespace CallTracking.Tests.Media.Recording;

public sealed class CallRecorderTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2025, 3, 4, 10, 20, 30, TimeSpan.Zero));

    private static DecodedWav Decode(TempFolder temp, string opusPath)
    {
        string wav = temp.File(Path.GetFileNameWithoutExtension(opusPath) + ".wav");
        var (exit, output) = ExternalTool.Run("opusdec", "--quiet", "--rate", "8000", opusPath, wav);
        Assert.True(exit == 0, output);
        return DecodedWav.Read(wav);
    }

    private static void Record(CallRecorder recorder, short[] caller, short[]? other, int frames)
    {
        for (int f = 0; f < frames; f++)
        {
            recorder.WriteFrame(
                caller.AsSpan(f * 160, 160),
                other is null ? default : other.AsSpan(f * 160, 160));
        }
    }

    [Theory]
    [InlineData(8000)]
    [InlineData(16000)]
    public void Caller_is_on_the_left_and_the_other_side_on_the_right(int encoderRate)
    {
        using var temp = new TempFolder();
        string path = temp.File("call.opus");
        short[] tone = Signals.Tone(440, 8000, TimeSpan.FromSeconds(2));
        using (var encoder = new TestOpusEncoder(encoderRate, channels: 2))
        using (var file = File.Create(path))
        using (var recorder = new CallRecorder(file, encoder, Clock, serialNumber: 1))
        {
            Record(recorder, tone, other: null, frames: 100);
            recorder.Complete();
            Assert.Equal(TimeSpan.FromSeconds(2), recorder.Duration);
            Assert.Equal(file.Length, recorder.BytesWritten);
        }

        var decoded = Decode(temp, path);
        Assert.Equal(2, decoded.Channels);
        Assert.InRange(decoded.Duration.TotalMilliseconds, 1980, 2020);
        short[] left = decoded.ChannelSamples[0];
        short[] right = decoded.ChannelSamples[1];

        // Skip the encoder's first 100 ms while it settles.
        var (correlation, _) = Signals.BestCorrelation(tone, left, from: 800, count: 12_000, maxLag: 40);
        Assert.True(correlation >= 0.9, $"left correlates {correlation:F3} with the caller's tone");
        double leftRms = Signals.Rms(left.AsSpan(800, 12_000));
        double rightRms = Signals.Rms(right.AsSpan(800, 12_000));
        Assert.True(rightRms < leftRms * 0.03, $"right RMS {rightRms:F1} vs left {leftRms:F1}");
    }

    [Fact]
    public void The_file_is_one_stereo_ogg_opus_stream_opusinfo_accepts_with_pages_of_at_most_50_frames()
    {
        using var temp = new TempFolder();
        string path = temp.File("call.opus");
        short[] caller = Signals.Tone(440, 8000, TimeSpan.FromSeconds(3.5));
        short[] other = Signals.Tone(1000, 8000, TimeSpan.FromSeconds(3.5));
        int preSkip;
        using (var encoder = new TestOpusEncoder())
        using (var file = File.Create(path))
        using (var recorder = new CallRecorder(file, encoder, Clock, serialNumber: 0xABCDEF, [new("CALL_ID", "c-1")]))
        {
            preSkip = encoder.Lookahead * 6;
            Record(recorder, caller, other, frames: 175);
        }

        var pages = OggPackets.Pages(File.ReadAllBytes(path));
        Assert.All(pages, p => Assert.Equal(0xABCDEFu, p.Serial));
        var audio = pages.Skip(2).ToList();
        long previous = 0;
        foreach (var page in audio.SkipLast(1))
        {
            Assert.True(page.Granule - previous <= 50 * 960, $"a page holds {(page.Granule - previous) / 960} frames");
            previous = page.Granule;
        }

        Assert.Equal(175 * 960, pages[^1].Granule - preSkip);
        string tags = Encoding.UTF8.GetString(pages[1].Body);
        Assert.Contains("DATE=2025-03-04T10:20:30.000Z", tags, StringComparison.Ordinal);
        Assert.Contains("CALL_ID=c-1", tags, StringComparison.Ordinal);

        var (exit, info) = ExternalTool.Run("opusinfo", path);
        Assert.True(exit == 0, info);
        Assert.DoesNotContain("WARNING", info, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Channels: 2", info, StringComparison.Ordinal);
        Assert.Contains("Playback length: 0m:03.500s", info, StringComparison.Ordinal);
    }

    [Fact]
    public void Pause_records_silence_for_the_span_and_lists_it()
    {
        using var temp = new TempFolder();
        string path = temp.File("paused.opus");
        short[] tone = Signals.Tone(440, 8000, TimeSpan.FromSeconds(3));
        CallRecorder recorder;
        using (var encoder = new TestOpusEncoder())
        using (var file = File.Create(path))
        {
            recorder = new CallRecorder(file, encoder, Clock, serialNumber: 2);
            Record(recorder, tone.AsSpan(0, 8000).ToArray(), tone.AsSpan(0, 8000).ToArray(), frames: 50);
            recorder.Pause();
            Assert.True(recorder.IsPaused);
            Record(recorder, tone.AsSpan(8000, 8000).ToArray(), tone.AsSpan(8000, 8000).ToArray(), frames: 50);
            recorder.Resume();
            Record(recorder, tone.AsSpan(16000, 8000).ToArray(), tone.AsSpan(16000, 8000).ToArray(), frames: 50);
            recorder.Pause();
            Record(recorder, tone.AsSpan(0, 1600).ToArray(), null, frames: 10);
            recorder.Complete();
        }

        Assert.Equal(
            [new RecordingSpan(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)), new RecordingSpan(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3.2))],
            recorder.PausedSpans);
        Assert.False(recorder.IsPaused);

        var decoded = Decode(temp, path);
        foreach (short[] channel in decoded.ChannelSamples)
        {
            // 100 ms margins for the codec's smoothing at the edges.
            double before = Signals.Rms(channel.AsSpan(1600, 5600));
            double paused = Signals.Rms(channel.AsSpan(8800, 6400));
            double after = Signals.Rms(channel.AsSpan(16800, 6400));
            Assert.True(before > 3000 && after > 3000, $"tone RMS {before:F0}/{after:F0}");
            Assert.True(paused < 50, $"paused RMS {paused:F0}");
        }
    }

    [Fact]
    public void A_recording_cut_off_without_Complete_still_decodes_all_but_the_last_second()
    {
        using var temp = new TempFolder();
        string path = temp.File("live.opus");
        string crashed = temp.File("crashed.opus");
        short[] caller = Signals.Tone(440, 8000, TimeSpan.FromSeconds(5.3));
        using var encoder = new TestOpusEncoder();
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite);
        var recorder = new CallRecorder(file, encoder, Clock, serialNumber: 3);
        Record(recorder, caller, caller, frames: 265);

        // What a SIGKILL leaves: the bytes handed to the OS so far.
        using (var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        using (var copy = File.Create(crashed))
        {
            reader.CopyTo(copy);
        }

        var pages = OggPackets.Pages(File.ReadAllBytes(crashed));
        Assert.DoesNotContain(pages, p => p.Flags.HasFlag(OggPageFlags.EndOfStream));
        var decoded = Decode(temp, crashed);
        Assert.True(decoded.Duration >= TimeSpan.FromSeconds(4), $"decoded {decoded.Duration}");
    }

    [Fact]
    public void Frames_must_be_20_ms_or_empty()
    {
        using var encoder = new TestOpusEncoder();
        using var recorder = new CallRecorder(Stream.Null, encoder, Clock, serialNumber: 4);
        Assert.Throws<ArgumentException>(() => recorder.WriteFrame(new short[159], default));
        Assert.Throws<ArgumentException>(() => recorder.WriteFrame(default, new short[320]));
        recorder.WriteFrame(default, default);
        recorder.Complete();
        Assert.Throws<InvalidOperationException>(() => recorder.WriteFrame(default, default));
    }

    [Fact]
    public void A_mono_encoder_is_refused()
    {
        using var encoder = new TestOpusEncoder(channels: 1);
        Assert.Throws<ArgumentException>(() => new CallRecorder(Stream.Null, encoder, Clock, serialNumber: 5));
    }

    [Fact]
    public void WriteFrame_allocates_nothing_after_warm_up()
    {
        using var encoder = new TestOpusEncoder();
        using var recorder = new CallRecorder(Stream.Null, encoder, Clock, serialNumber: 6);
        short[] caller = Signals.Tone(440, 8000, TimeSpan.FromMilliseconds(20));
        short[] other = Signals.Tone(1000, 8000, TimeSpan.FromMilliseconds(20));
        for (int i = 0; i < 200; i++)
        {
            recorder.WriteFrame(caller, i % 3 == 0 ? default : other);
        }

        recorder.Pause();
        recorder.WriteFrame(caller, other);
        recorder.Resume();

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 500; i++)
        {
            recorder.WriteFrame(caller, i % 3 == 0 ? default : other);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
