namespace CallTracking.Media.Jitter;

/// <summary>Bookkeeping for one ring slot; the payload lives in the buffer's shared array.</summary>
internal struct JitterSlot
{
    /// <summary>Frame index held; meaningful only when <see cref="State"/> is not Empty.</summary>
    public long Index;
    public JitterSlotState State;
    public ushort SequenceNumber;
    public uint Timestamp;
    public bool Marker;
    public int Length;
}
