using System.Buffers;
using System.Buffers.Binary;

namespace CallTracking.Grpc.Framing;

/// <summary>
/// Reads length-prefixed messages (PROTOCOL-HTTP2.md: Compressed-Flag, 4-byte big-endian Message-Length, Message)
/// from a byte sequence. Stateless: incomplete input consumes nothing, so the caller can read more and call again.
/// </summary>
public static class GrpcFrameReader
{
    /// <summary>The flags byte and the length.</summary>
    public const int HeaderSize = 5;

    /// <summary>
    /// Reads one frame from the start of <paramref name="input"/>. A declared length above
    /// <paramref name="maxPayloadSize"/> is <see cref="FrameReadStatus.TooLarge"/> as soon as the header is
    /// in, without waiting for (or buffering) the payload.
    /// </summary>
    public static FrameReadStatus TryRead(in ReadOnlySequence<byte> input, int maxPayloadSize, out GrpcFrame frame, out SequencePosition consumed)
    {
        frame = default;
        consumed = input.Start;
        if (input.Length < HeaderSize)
        {
            return FrameReadStatus.Incomplete;
        }

        Span<byte> header = stackalloc byte[HeaderSize];
        var first = input.FirstSpan;
        if (first.Length >= HeaderSize)
        {
            first[..HeaderSize].CopyTo(header);
        }
        else
        {
            input.Slice(0, HeaderSize).CopyTo(header);
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if (length > (uint)maxPayloadSize)
        {
            return FrameReadStatus.TooLarge;
        }

        if (input.Length - HeaderSize < length)
        {
            return FrameReadStatus.Incomplete;
        }

        var payload = input.Slice(HeaderSize, length);
        frame = new GrpcFrame(header[0], payload);
        consumed = payload.End;
        return FrameReadStatus.Complete;
    }

    /// <summary>Writes a frame header for a payload of <paramref name="length"/> bytes.</summary>
    public static void WriteHeader(Span<byte> destination, byte flags, int length)
    {
        destination[0] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], (uint)length);
    }
}
