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

    /// <summary>Compresses <paramref name="payload"/> into <paramref name="destination"/>.</summary>
    public static void Compress(ReadOnlySpan<byte> payload, IBufferWriter<byte> destination)
    {
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
