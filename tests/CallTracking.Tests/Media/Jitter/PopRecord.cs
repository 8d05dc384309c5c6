using CallTracking.Media.Jitter;

namespace CallTracking.Tests.Media.Jitter;

/// <summary>What one simulated tick popped.</summary>
internal sealed record PopRecord(int Tick, double TimeMs, PopResult Result, FrameInfo Info, int Length);
