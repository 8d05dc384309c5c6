using System.Buffers;
using CallTracking.Grpc.Framing;
using CallTracking.Tests.Sip;

namespace CallTracking.Tests.Grpc.Framing;

public sealed class GrpcFrameReaderTests
{
    private const int Max = 1024;

    // Two frames back to back: an uncompressed 7-byte payload and a compressed-flag 3-byte payload.
    private static readonly byte[] TwoFrames =
    [
        0x00, 0x00, 0x00, 0x00, 0x07, (byte)'a', (byte)'b', (byte)'c', (byte)'d', (byte)'e', (byte)'f', (byte)'g',
        0x01, 0x00, 0x00, 0x00, 0x03, 0x10, 0x20, 0x30,
    ];

    private const int FirstFrameLength = 12;

    [Fact]
    public void Whole_input_yields_the_first_frame_and_consumes_exactly_it()
    {
        var input = new ReadOnlySequence<byte>(TwoFrames);
        Assert.Equal(FrameReadStatus.Complete, GrpcFrameReader.TryRead(input, Max, out var frame, out var consumed));
        Assert.Equal("abcdefg", Text(frame));
        Assert.False(frame.IsCompressed);
        Assert.Equal(FirstFrameLength, input.Slice(0, consumed).Length);

        var rest = input.Slice(consumed);
        Assert.Equal(FrameReadStatus.Complete, GrpcFrameReader.TryRead(rest, Max, out var second, out var end));
        Assert.True(second.IsCompressed);
        Assert.Equal(new byte[] { 0x10, 0x20, 0x30 }, second.Payload.ToArray());
        Assert.Equal(rest.End, end);
    }

    [Fact]
    public void One_byte_per_segment_reads_the_same_frames()
    {
        var input = SegmentedSequence.OneBytePerSegment(TwoFrames);
        Assert.Equal(FrameReadStatus.Complete, GrpcFrameReader.TryRead(input, Max, out var frame, out var consumed));
        Assert.Equal("abcdefg", Text(frame));
        Assert.Equal(FirstFrameLength, input.Slice(0, consumed).Length);
    }

    [Fact]
    public void Every_two_and_three_way_split_reads_the_same_frame()
    {
        for (var i = 0; i <= TwoFrames.Length; i++)
        {
            for (var j = i; j <= TwoFrames.Length; j++)
            {
                var input = SegmentedSequence.Split(TwoFrames, i, j);
                Assert.Equal(FrameReadStatus.Complete, GrpcFrameReader.TryRead(input, Max, out var frame, out var consumed));
                Assert.Equal("abcdefg", Text(frame));
                Assert.Equal(FirstFrameLength, input.Slice(0, consumed).Length);
            }
        }
    }

    [Fact]
    public void Every_truncated_prefix_is_incomplete_and_consumes_nothing()
    {
        for (var length = 0; length < FirstFrameLength; length++)
        {
            foreach (var input in new[] { new ReadOnlySequence<byte>(TwoFrames, 0, length), SegmentedSequence.OneBytePerSegment(TwoFrames[..length]) })
            {
                Assert.Equal(FrameReadStatus.Incomplete, GrpcFrameReader.TryRead(input, Max, out _, out var consumed));
                Assert.Equal(input.Start, consumed);
            }
        }
    }

    [Fact]
    public void Declared_length_over_the_cap_is_too_large_from_the_header_alone()
    {
        byte[] header = [0x00, 0x00, 0x00, 0x04, 0x01];
        var input = SegmentedSequence.OneBytePerSegment(header);
        Assert.Equal(FrameReadStatus.TooLarge, GrpcFrameReader.TryRead(input, Max, out _, out var consumed));
        Assert.Equal(input.Start, consumed);
    }

    [Fact]
    public void Length_exactly_at_the_cap_is_accepted()
    {
        var data = new byte[GrpcFrameReader.HeaderSize + 16];
        GrpcFrameReader.WriteHeader(data, 0, 16);
        Assert.Equal(FrameReadStatus.Complete, GrpcFrameReader.TryRead(new ReadOnlySequence<byte>(data), 16, out var frame, out _));
        Assert.Equal(16, frame.Payload.Length);
        Assert.Equal(FrameReadStatus.TooLarge, GrpcFrameReader.TryRead(new ReadOnlySequence<byte>(data), 15, out _, out _));
    }

    [Fact]
    public void Length_with_the_top_bit_set_is_too_large_not_negative()
    {
        byte[] header = [0x00, 0xFF, 0xFF, 0xFF, 0xFF];
        Assert.Equal(FrameReadStatus.TooLarge, GrpcFrameReader.TryRead(new ReadOnlySequence<byte>(header), int.MaxValue, out _, out _));
    }

    [Fact]
    public void Empty_message_is_a_complete_frame_of_five_bytes()
    {
        byte[] data = [0x00, 0x00, 0x00, 0x00, 0x00];
        Assert.Equal(FrameReadStatus.Complete, GrpcFrameReader.TryRead(new ReadOnlySequence<byte>(data), Max, out var frame, out var consumed));
        Assert.True(frame.Payload.IsEmpty);
        Assert.Equal(5, new ReadOnlySequence<byte>(data).Slice(0, consumed).Length);
    }

    [Fact]
    public void Trailer_flag_is_reported()
    {
        byte[] data = [0x80, 0x00, 0x00, 0x00, 0x01, (byte)'x'];
        Assert.Equal(FrameReadStatus.Complete, GrpcFrameReader.TryRead(new ReadOnlySequence<byte>(data), Max, out var frame, out _));
        Assert.True(frame.IsTrailers);
        Assert.False(frame.IsCompressed);
    }

    private static string Text(GrpcFrame frame) => System.Text.Encoding.ASCII.GetString(frame.Payload.ToArray());
}
