using System.Buffers;
using System.IO.Compression;
using CallTracking.Grpc.Compression;
using CallTracking.Tests.Sip;

namespace CallTracking.Tests.Grpc.Compression;

public sealed class GzipMessageCompressionTests
{
    [Fact]
    public void Round_trip_gives_the_payload_back_and_is_real_gzip()
    {
        var payload = new byte[50_000];
        new Random(7).NextBytes(payload.AsSpan(0, 1000));
        var compressed = new ArrayBufferWriter<byte>();
        GzipMessageCompression.Compress(payload, compressed);
        Assert.Equal(new byte[] { 0x1F, 0x8B }, compressed.WrittenSpan[..2].ToArray());
        Assert.True(compressed.WrittenCount < payload.Length / 4);

        // Decoded by the BCL's own reader as well, so it is not only our pair agreeing with itself.
        using var gzip = new GZipStream(new MemoryStream(compressed.WrittenSpan.ToArray()), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        gzip.CopyTo(plain);
        Assert.Equal(payload, plain.ToArray());

        var output = new ArrayBufferWriter<byte>();
        Assert.Equal(DecompressStatus.Ok, GzipMessageCompression.TryDecompress(new ReadOnlySequence<byte>(compressed.WrittenMemory), payload.Length, output));
        Assert.Equal(payload, output.WrittenSpan.ToArray());
    }

    [Fact]
    public void Empty_payload_compresses_to_a_gzip_member_of_nothing_not_to_zero_bytes()
    {
        // GZipStream writes nothing when given nothing; zero bytes are no gzip stream and @grpc/grpc-js fails them.
        var compressed = new ArrayBufferWriter<byte>();
        GzipMessageCompression.Compress([], compressed);
        Assert.Equal(new byte[] { 0x1F, 0x8B }, compressed.WrittenSpan[..2].ToArray());

        using var gzip = new GZipStream(new MemoryStream(compressed.WrittenSpan.ToArray()), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        gzip.CopyTo(plain);
        Assert.Equal(0, plain.Length);
        var output = new ArrayBufferWriter<byte>();
        Assert.Equal(DecompressStatus.Ok, GzipMessageCompression.TryDecompress(new ReadOnlySequence<byte>(compressed.WrittenMemory), 0, output));
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void Decompression_reads_a_stream_split_one_byte_per_segment()
    {
        var payload = "hello hello hello hello"u8.ToArray();
        var compressed = new ArrayBufferWriter<byte>();
        GzipMessageCompression.Compress(payload, compressed);
        var output = new ArrayBufferWriter<byte>();
        Assert.Equal(DecompressStatus.Ok, GzipMessageCompression.TryDecompress(SegmentedSequence.OneBytePerSegment(compressed.WrittenSpan.ToArray()), 100, output));
        Assert.Equal(payload, output.WrittenSpan.ToArray());
    }

    [Fact]
    public void The_cap_applies_to_the_decompressed_size()
    {
        var payload = new byte[1000];
        var compressed = new ArrayBufferWriter<byte>();
        GzipMessageCompression.Compress(payload, compressed);
        var input = new ReadOnlySequence<byte>(compressed.WrittenMemory);
        Assert.Equal(DecompressStatus.Ok, GzipMessageCompression.TryDecompress(input, 1000, new ArrayBufferWriter<byte>()));
        Assert.Equal(DecompressStatus.TooLarge, GzipMessageCompression.TryDecompress(input, 999, new ArrayBufferWriter<byte>()));
    }

    [Fact]
    public void A_zip_bomb_stops_at_the_cap_without_inflating_it_all()
    {
        // 64 MiB of zeros compress to about 64 KiB; the reader must give up near the 1 MiB cap.
        var compressed = new ArrayBufferWriter<byte>();
        GzipMessageCompression.Compress(new byte[64 * 1024 * 1024], compressed);
        var output = new ArrayBufferWriter<byte>();
        Assert.Equal(DecompressStatus.TooLarge, GzipMessageCompression.TryDecompress(new ReadOnlySequence<byte>(compressed.WrittenMemory), 1024 * 1024, output));
        Assert.True(output.WrittenCount <= 1024 * 1024);
    }

    [Fact]
    public void Garbage_is_corrupt()
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.Equal(DecompressStatus.Corrupt, GzipMessageCompression.TryDecompress(new ReadOnlySequence<byte>("not gzip at all"u8.ToArray()), 100, output));
    }
}
