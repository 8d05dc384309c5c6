namespace CallTracking.Media.Codecs;

/// <summary>One key press, reported once by <see cref="DtmfDetector"/>.</summary>
/// <param name="Digit">0–9, *, #, A–D.</param>
/// <param name="StartTimestamp">RTP timestamp of the event's first segment: when the key went down.</param>
/// <param name="Duration">How long the key was held, from the duration fields.</param>
public readonly record struct DtmfEvent(char Digit, uint StartTimestamp, TimeSpan Duration)
{
    /// <summary>The duration in RTP timestamp units (summed over segments of a long event).</summary>
    public long DurationUnits { get; init; }

    /// <summary>True when no end packet arrived: the event was closed by a later event or a time-out.</summary>
    public bool EndLost { get; init; }
}
