namespace CallTracking.Tests.Media.Jitter;

/// <summary>One packet of a simulated schedule: RTP fields and when it reaches the buffer.</summary>
internal sealed record SimPacket(ushort Seq, uint Ts, uint Ssrc, double ArrivalMs, bool Marker = false, int PayloadLength = 160);
