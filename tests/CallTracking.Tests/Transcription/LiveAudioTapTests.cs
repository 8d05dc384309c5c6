using CallTracking.Media.Transcription;

namespace CallTracking.Tests.Transcription;

public sealed class LiveAudioTapTests
{
    private const int Frame = LiveAudioTap.FrameSamples;

    [Fact]
    public void Frames_are_read_in_order_with_their_indexes_and_an_empty_side_reads_as_silence()
    {
        var tap = new LiveAudioTap(capacityFrames: 8);
        tap.Write(Filled(1), Filled(2));
        tap.Write(default, Filled(4));
        var received = new short[Frame];
        var sent = new short[Frame];

        Assert.True(tap.TryRead(received, sent, out var first));
        Assert.Equal(0, first);
        Assert.All(received, s => Assert.Equal(1, s));
        Assert.All(sent, s => Assert.Equal(2, s));
        Assert.True(tap.TryRead(received, sent, out var second));
        Assert.Equal(1, second);
        Assert.All(received, s => Assert.Equal(0, s));
        Assert.All(sent, s => Assert.Equal(4, s));
        Assert.False(tap.TryRead(received, sent, out _));
    }

    [Fact]
    public void A_full_ring_drops_and_counts_new_frames_and_their_indexes_show_the_gap()
    {
        var tap = new LiveAudioTap(capacityFrames: 4);
        for (short i = 0; i < 10; i++)
        {
            tap.Write(Filled(i), default);
        }

        Assert.Equal(10, tap.Frames);
        Assert.Equal(6, tap.Dropped);
        Assert.Equal(4, tap.Queued);

        var received = new short[Frame];
        var sent = new short[Frame];
        var indexes = new List<long>();
        while (tap.TryRead(received, sent, out var index))
        {
            Assert.Equal(index, received[0]);
            indexes.Add(index);
        }

        tap.Write(Filled(10), default);
        Assert.True(tap.TryRead(received, sent, out var after));
        indexes.Add(after);

        Assert.Equal([0L, 1, 2, 3, 10], indexes);
        Assert.Equal(6, tap.Dropped);
    }

    [Fact]
    public void Writing_allocates_nothing_whether_the_frame_is_kept_or_dropped()
    {
        var tap = new LiveAudioTap(capacityFrames: 64);
        var caller = Filled(7);
        var business = Filled(9);
        var received = new short[Frame];
        var sent = new short[Frame];

        // Warm up (JIT, tiered compilation), then measure: frames kept and read, then a full ring dropping.
        Exchange(tap, caller, business, received, sent, 1_000);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Exchange(tap, caller, business, received, sent, 10_000);
        for (var i = 0; i < 10_000; i++)
        {
            tap.Write(caller, business);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(tap.Dropped >= 10_000 - tap.Capacity, $"dropped {tap.Dropped}");
    }

    [Fact]
    public async Task A_reader_on_another_thread_sees_whole_frames_in_order()
    {
        const int frames = 50_000;
        var tap = new LiveAudioTap(capacityFrames: 16);
        var reader = Task.Run(() =>
        {
            var received = new short[Frame];
            var sent = new short[Frame];
            long last = -1;
            long read = 0;
            while (!tap.IsCompleted || tap.Queued > 0)
            {
                while (tap.TryRead(received, sent, out var index))
                {
                    Assert.True(index > last, $"index {index} after {last}");
                    Assert.All(received, s => Assert.Equal((short)index, s));
                    Assert.All(sent, s => Assert.Equal((short)~index, s));
                    last = index;
                    read++;
                }

                Thread.Yield();
            }

            return read;
        });

        var caller = new short[Frame];
        var business = new short[Frame];
        for (var i = 0; i < frames; i++)
        {
            Array.Fill(caller, (short)i);
            Array.Fill(business, (short)~i);
            tap.Write(caller, business);
        }

        tap.Complete();
        var read = await reader.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(frames, read + tap.Dropped);
    }

    [Fact]
    public void A_side_of_the_wrong_length_is_a_bug()
    {
        var tap = new LiveAudioTap();
        Assert.Throws<ArgumentException>(() => tap.Write(new short[80], default));
    }

    private static void Exchange(LiveAudioTap tap, short[] caller, short[] business, short[] received, short[] sent, int count)
    {
        for (var i = 0; i < count; i++)
        {
            tap.Write(caller, business);
            if ((i & 15) == 15)
            {
                while (tap.TryRead(received, sent, out _))
                {
                }
            }
        }

        while (tap.TryRead(received, sent, out _))
        {
        }
    }

    private static short[] Filled(short value)
    {
        var frame = new short[Frame];
        Array.Fill(frame, value);
        return frame;
    }
}
