namespace CallTracking.Engine.Sip.Messages;

/// <summary>A slice of a <see cref="SipMessage"/>'s buffer by offsets, so it survives copying the buffer.</summary>
internal readonly record struct ByteRange(int Start, int Length)
{
    public static ByteRange Of(ReadOnlySpan<byte> whole, ReadOnlySpan<byte> part) =>
        !part.IsEmpty && whole.Overlaps(part, out int offset) ? new ByteRange(offset, part.Length) : default;
}
