namespace CallTracking.Media.Jitter;

/// <summary>
/// The RTP fields of a popped frame. For <see cref="PopResult.Missing"/> only
/// <see cref="Timestamp"/> is meaningful: the timestamp the missing frame would have had.
/// </summary>
public readonly record struct FrameInfo(ushort SequenceNumber, uint Timestamp, uint Ssrc, bool Marker);
