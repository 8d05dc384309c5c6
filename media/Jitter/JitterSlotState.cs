namespace CallTracking.Media.Jitter;

internal enum JitterSlotState : byte
{
    Empty,

    /// <summary>Holds a frame waiting for its turn.</summary>
    Filled,

    /// <summary>Its frame was played or dropped; kept to recognise duplicates.</summary>
    Played,
}
