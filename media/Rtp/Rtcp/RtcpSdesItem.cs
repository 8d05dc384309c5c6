namespace CallTracking.Media.Rtp.Rtcp;

/// <summary>One SDES item (RFC 3550 §6.5) with the SSRC/CSRC of the chunk it belongs to; the value is UTF-8, not terminated.</summary>
public readonly ref struct RtcpSdesItem
{
    public RtcpSdesItem(uint ssrc, RtcpSdesItemType type, ReadOnlySpan<byte> value)
    {
        Ssrc = ssrc;
        Type = type;
        Value = value;
    }

    public uint Ssrc { get; }

    public RtcpSdesItemType Type { get; }

    public ReadOnlySpan<byte> Value { get; }
}
