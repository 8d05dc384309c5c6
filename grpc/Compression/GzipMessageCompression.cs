using System.Buffers;
using System.IO.Compression;
using CallTracking.Grpc.Buffers;

namespace CallTracking.Grpc.Compression;

/// <summary>
/// The <c>gzip</c> message encoding (PROTOCOL-HTTP2.md "Message-Encoding"; compression.md): each message with
/// its compressed flag set is one gzip stream.
/// </summary>
public static class GzipMessageCompression
{
    private const int ReadChunk = 16 * 1024;

    /// <summary>
    /// The gzip member of no data (RFC 1952 §2.3: header, an empty final fixed-Huffman block per RFC 1951 §3.2.6,
    /// CRC-32 0, ISIZE 0), which <see cref="GZipStream"/> does not write when nothing was written to it.
    /// </summary>
    private static ReadOnlySpan<byte> EmptyMember =>
        [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x03, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00];

    /// <summary>Compresses <paramref name="payload"/> into <paramref name="destination"/>: one gzip member, also for an empty payload.</summary>
    public static void Compress(ReadOnlySpan<byte> payload, IBufferWriter<byte> destination)
    {
        if (payload.IsEmpty)
        {
            // Zero bytes are not a gzip stream: @grpc/grpc-js fails such a message ("Failed to decompress").
            destination.Write(EmptyMember);
            return;
        }

        using var gzip = new GZipStream(new BufferWriterStream(destination), CompressionLevel.Fastest, leaveOpen: false);
        gzip.Write(payload);
    }

    /// <summary>
    /// Decompresses <paramref name="compressed"/> into <paramref name="destination"/>, stopping with
    /// <see cref="DecompressStatus.TooLarge"/> as soon as more than <paramref name="maxSize"/> bytes come out:
    /// the cap applies to the decompressed size, so a small bomb never inflates past it.
    /// </summary>
    public static DecompressStatus TryDecompress(in ReadOnlySequence<byte> compressed, int maxSize, IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        try
        {
            using var gzip = new GZipStream(new SequenceReadStream(compressed), CompressionMode.Decompress);
            long total = 0;
            while (true)
            {
                // Ask for one byte more than the cap allows, so "exactly maxSize" and "more" are told apart.
                var room = (int)Math.Min(ReadChunk, (long)maxSize - total + 1);
                var span = destination.GetSpan(room)[..room];
                var read = gzip.Read(span);
                if (read == 0)
                {
                    return DecompressStatus.Ok;
                }

                total += read;
                if (total > maxSize)
                {
                    return DecompressStatus.TooLarge;
                }

                destination.Advance(read);
            }
        }
        catch (InvalidDataException)
        {
            return DecompressStatus.Corrupt;
        }
    }
}
