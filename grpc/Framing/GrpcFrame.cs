using System.Buffers;

namespace CallTracking.Grpc.Framing;

/// <summary>
/// One length-prefixed message (PROTOCOL-HTTP2.md "Length-Prefixed-Message"): the flags byte and the payload,
/// a slice of the input it was read from (valid until the reader advances past it).
/// </summary>
public readonly struct GrpcFrame
{
    /// <summary>Flag bit 0: the payload is compressed with the call's <c>grpc-encoding</c>.</summary>
    public const byte CompressedFlag = 0x01;

    /// <summary>Flag bit 7: a gRPC-Web trailer frame (PROTOCOL-WEB.md "Message framing").</summary>
    public const byte TrailersFlag = 0x80;

    public GrpcFrame(byte flags, ReadOnlySequence<byte> payload)
    {
        Flags = flags;
        Payload = payload;
    }

    public byte Flags { get; }

    public ReadOnlySequence<byte> Payload { get; }

    public bool IsCompressed => (Flags & CompressedFlag) != 0;

    public bool IsTrailers => (Flags & TrailersFlag) != 0;
}
