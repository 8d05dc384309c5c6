using System.Buffers;
using System.Text;
using CallTracking.Grpc.Framing;
using CallTracking.Grpc.Web;

namespace CallTracking.Tests.Grpc.Web;

public sealed class GrpcWebTextTests
{
    [Fact]
    public void Encoding_is_standard_padded_base64()
    {
        var output = new ArrayBufferWriter<byte>();
        GrpcWebText.Encode([0x00, 0x00, 0x00, 0x00, 0x01, 0xFB], output);
        Assert.Equal(Convert.ToBase64String([0x00, 0x00, 0x00, 0x00, 0x01, 0xFB]), Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Fact]
    public void A_body_of_several_padded_chunks_decodes_to_their_concatenation()
    {
        // Two frames base64-encoded separately, as a server writes a stream: "AAAAAAFh" + "AAAAAAJiYw==".
        byte[] first = [0, 0, 0, 0, 1, (byte)'a'];
        byte[] second = [0, 0, 0, 0, 2, (byte)'b', (byte)'c'];
        byte[] third = [0x80, 0, 0, 0, 1, (byte)'d', 0xFF];
        var body = Encoding.ASCII.GetBytes(Convert.ToBase64String(first) + Convert.ToBase64String(second) + Convert.ToBase64String(third));
        var decoded = new byte[GrpcWebText.MaxDecodedLength(body.Length)];
        Assert.True(GrpcWebText.TryDecode(body, decoded, out var written));
        Assert.Equal([.. first, .. second, .. third], decoded[..written]);
    }

    [Fact]
    public void A_body_that_is_not_base64_is_refused()
    {
        var body = "AAAA*AAA"u8.ToArray();
        Assert.False(GrpcWebText.TryDecode(body, new byte[16], out _));
    }

    [Fact]
    public void Trailer_frame_carries_status_and_message_as_header_lines()
    {
        var output = new ArrayBufferWriter<byte>();
        GrpcWebTrailers.Write(output, 5, "not%20here");
        var input = new ReadOnlySequence<byte>(output.WrittenMemory);
        Assert.Equal(FrameReadStatus.Complete, GrpcFrameReader.TryRead(input, 1000, out var frame, out var consumed));
        Assert.Equal(input.End, consumed);
        Assert.Equal(0x80, frame.Flags);
        Assert.Equal("grpc-status: 5\r\ngrpc-message: not%20here\r\n", Encoding.ASCII.GetString(frame.Payload.ToArray()));
        var trailers = GrpcWebTrailers.Parse(frame.Payload);
        Assert.Equal("5", trailers["grpc-status"]);
        Assert.Equal("not%20here", trailers["grpc-message"]);
    }

    [Fact]
    public void Trailer_frame_without_a_message_has_only_the_status()
    {
        var output = new ArrayBufferWriter<byte>();
        GrpcWebTrailers.Write(output, 0, null);
        Assert.Equal("grpc-status: 0\r\n", Encoding.ASCII.GetString(output.WrittenSpan[GrpcFrameReader.HeaderSize..]));
    }
}
