using CallTracking.Media.Recording;
using Microsoft.Extensions.Time.Testing;

namespace CallTracking.Tests.Media.Recording;

public sealed class QueuedRecordingTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2025, 3, 4, 10, 20, 30, TimeSpan.Zero));

    // Speech-like on the left, a tone on the right from frame 40, a pause over frames 60-79.
    private static void Feed(IRecordingSink sink, short[] caller, short[] other, int from, int to)
    {
        for (int f = from; f < to; f++)
        {
            if (f == 60)
            {
                sink.Pause();
            }

            if (f == 80)
            {
                sink.Resume();
            }

            sink.WriteFrame(caller.AsSpan(f * 160, 160), f < 40 ? default : other.AsSpan(f * 160, 160));
        }
    }

    [Fact]
    public void Encoding_on_the_encoder_thread_writes_the_same_file_as_encoding_in_the_tick()
    {
        short[] caller = Signals.Tone(440, 8000, TimeSpan.FromSeconds(3));
        short[] other = Signals.Tone(660, 8000, TimeSpan.FromSeconds(3));
        const int frames = 150;

        using var inTick = new MemoryStream();
        using (var encoder = new OpusRecordingEncoder())
        using (var recorder = new CallRecorder(inTick, encoder, Clock, serialNumber: 7))
        {
            Feed(recorder, caller, other, 0, frames);
            recorder.Complete();
        }

        using var offTick = new MemoryStream();
        using var encoder2 = new OpusRecordingEncoder();
        var recorder2 = new CallRecorder(offTick, encoder2, Clock, serialNumber: 7);
        var queued = new QueuedRecording(recorder2);
        using var completed = new ManualResetEventSlim();
        string? completedOn = null;
        IReadOnlyList<RecordingSpan>? paused = null;
        using (var thread = new RecordingEncoderThread("test-enc"))
        {
            thread.Add(queued);
            for (int f = 0; f < frames; f += 10)
            {
                // Ten frames at a time, waking the thread as a worker does after each tick.
                Feed(queued, caller, other, f, f + 10);
                thread.Wake();

                // A worker's ticks are 20 ms apart; this test's are not, so it lets the thread catch up instead.
                Assert.True(SpinWait.SpinUntil(() => queued.Backlog == 0, TimeSpan.FromSeconds(10)));
            }

            queued.Complete(r =>
            {
                completedOn = Thread.CurrentThread.Name;
                paused = r.PausedSpans;
                completed.Set();
            });
            thread.Wake();
            Assert.True(completed.Wait(TimeSpan.FromSeconds(10)), "the encoder thread completed the recording");
        }

        Assert.Equal("test-enc", completedOn);
        Assert.True(queued.IsCompleted);
        Assert.Null(queued.Error);
        Assert.Equal(0, queued.DroppedFrames);
        Assert.Equal(TimeSpan.FromSeconds(3), recorder2.Duration);
        Assert.Equal([new RecordingSpan(TimeSpan.FromMilliseconds(1200), TimeSpan.FromMilliseconds(1600))], paused);
        Assert.Equal(inTick.ToArray(), offTick.ToArray());
    }

    [Fact]
    public void A_worker_whose_encoder_thread_falls_three_quarters_of_a_ring_behind_encodes_the_backlog_itself_and_drops_nothing()
    {
        using var output = new MemoryStream();
        using var encoder = new OpusRecordingEncoder();
        var recorder = new CallRecorder(output, encoder, Clock, serialNumber: 7);
        var queued = new QueuedRecording(recorder, capacityFrames: 4);
        short[] frame = Signals.Tone(440, 8000, TimeSpan.FromMilliseconds(20));

        // No encoder thread drains it at all.
        for (int i = 0; i < 50; i++)
        {
            queued.WriteFrame(frame, default);
        }

        Assert.Equal(0, queued.DroppedFrames);
        Assert.InRange(queued.Backlog, 1, 4);
        Assert.Equal(TimeSpan.FromMilliseconds(20 * (50 - queued.Backlog)), recorder.Duration);
    }

    [Fact]
    public void Frames_the_encoder_is_too_far_behind_for_are_dropped_and_recorded_as_silence_so_the_length_holds()
    {
        using var output = new MemoryStream();
        using var encoder = new OpusRecordingEncoder();
        var recorder = new CallRecorder(output, encoder, Clock, serialNumber: 7);
        var queued = new QueuedRecording(recorder, capacityFrames: 4);
        short[] frame = Signals.Tone(440, 8000, TimeSpan.FromMilliseconds(20));

        // The encoding lock is held elsewhere (an encoder thread in the middle of a long encode), so the worker
        // cannot help: four frames fit, two are dropped, and the worker never blocks.
        using (var busy = new ManualResetEventSlim())
        using (var release = new ManualResetEventSlim())
        {
            var holder = new Thread(() =>
            {
                var field = typeof(QueuedRecording).GetField("_encoding", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
                lock ((Lock)field.GetValue(queued)!)
                {
                    busy.Set();
                    release.Wait();
                }
            });
            holder.Start();
            busy.Wait();
            for (int i = 0; i < 6; i++)
            {
                queued.WriteFrame(frame, default);
            }

            release.Set();
            holder.Join();
        }

        Assert.Equal(2, queued.DroppedFrames);
        using var thread = new RecordingEncoderThread("test-enc");
        using var completed = new ManualResetEventSlim();
        queued.Complete(_ => completed.Set());
        thread.Add(queued);
        thread.Wake();
        Assert.True(completed.Wait(TimeSpan.FromSeconds(10)));
        Assert.Equal(TimeSpan.FromMilliseconds(120), recorder.Duration);
    }

    [Fact]
    public void Queuing_a_frame_on_the_worker_allocates_nothing()
    {
        // Room for every page up front: a growing MemoryStream would be the test's allocation, not the recorder's.
        using var output = new MemoryStream(1 << 20);
        using var encoder = new OpusRecordingEncoder();
        var queued = new QueuedRecording(new CallRecorder(output, encoder, Clock, serialNumber: 7), capacityFrames: 8);
        short[] frame = Signals.Tone(440, 8000, TimeSpan.FromMilliseconds(20));
        queued.Pause();
        queued.Resume();

        // Warm up every path once (the worker's help, the first page flush) before counting.
        for (int i = 0; i < 120; i++)
        {
            queued.WriteFrame(frame, default);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            // The ring fills after eight: from then on the worker encodes the backlog itself, which must not allocate either.
            queued.WriteFrame(frame, frame);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
