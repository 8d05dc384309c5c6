namespace CallTracking.Media.Recording;

/// <summary>A span of one channel of a recording (0 = left = caller, 1 = right = other party) to cover with a tone.</summary>
public readonly record struct ToneSpan(int Channel, long StartMs, long EndMs);
