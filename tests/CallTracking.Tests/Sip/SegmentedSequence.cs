using System.Buffers;

namespace CallTracking.Tests.Sip;

/// <summary>Builds multi-segment <see cref="ReadOnlySequence{T}"/>s the way a pipe hands them out.</summary>
public static class SegmentedSequence
{
    /// <summary>One segment per chunk; empty chunks are kept (pipes can produce them).</summary>
    public static ReadOnlySequence<byte> Create(params ReadOnlyMemory<byte>[] chunks)
    {
        if (chunks.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }
        var first = new Segment(chunks[0], 0);
        Segment last = first;
        for (int i = 1; i < chunks.Length; i++)
        {
            last = last.Append(chunks[i]);
        }
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Splits at the given ascending offsets.</summary>
    public static ReadOnlySequence<byte> Split(byte[] data, params int[] offsets)
    {
        var chunks = new ReadOnlyMemory<byte>[offsets.Length + 1];
        int start = 0;
        for (int i = 0; i < offsets.Length; i++)
        {
            chunks[i] = data.AsMemory(start, offsets[i] - start);
            start = offsets[i];
        }
        chunks[^1] = data.AsMemory(start);
        return Create(chunks);
    }

    public static ReadOnlySequence<byte> OneBytePerSegment(byte[] data)
    {
        if (data.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }
        var chunks = new ReadOnlyMemory<byte>[data.Length];
        for (int i = 0; i < data.Length; i++)
        {
            chunks[i] = data.AsMemory(i, 1);
        }
        return Create(chunks);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
