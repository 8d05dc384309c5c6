using CallTracking.Media.Jitter;

namespace CallTracking.Tests.Media.Jitter;

public sealed class JitterBufferAllocationTests
{
    [Fact]
    public void Inserting_and_popping_ten_thousand_frames_allocates_nothing()
    {
        var buffer = new JitterBuffer(new JitterBufferOptions(), TimeProvider.System);
        long frameTicks = TimeProvider.System.TimestampFrequency / 50;
        byte[] payload = new byte[160];
        byte[] destination = new byte[1500];
        long sink = 0;

        // Warm up (JIT, tiered compilation), then measure.
        sink += Exchange(buffer, payload, destination, frameTicks, 0, 1_000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        sink += Exchange(buffer, payload, destination, frameTicks, 1_000, 10_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(sink > 0);
        Assert.True(buffer.FramesPlayed > 10_900, $"played {buffer.FramesPlayed}");
    }

    private static long Exchange(JitterBuffer buffer, byte[] payload, byte[] destination, long frameTicks, int first, int count)
    {
        long sink = 0;
        for (int n = first; n < first + count; n++)
        {
            // Alternate jitter so the estimator and the slot ring both work.
            long jitter = (n & 1) * (frameTicks / 4);
            buffer.Insert(unchecked((ushort)n), unchecked((uint)(n * 160)), 42, false, payload, (n * frameTicks) + jitter);
            if (buffer.Pop(destination, out int length, out FrameInfo info) == PopResult.Frame)
            {
                sink += length + info.SequenceNumber;
            }

            sink += buffer.CurrentDepth.Ticks + buffer.TargetDepth.Ticks;
        }

        return sink;
    }
}
