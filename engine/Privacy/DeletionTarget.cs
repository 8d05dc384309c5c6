namespace CallTracking.Engine.Privacy;

/// <summary>What a deletion removes from a call.</summary>
public enum DeletionTarget
{
    Recording,
    Transcript,

    /// <summary>Recording, transcript, legs, attribution, tags and events; the call row stays as a tombstone without the caller's details.</summary>
    Call,

    /// <summary>Everything, the call row too (retention of call metadata, organisation exit).</summary>
    CallRow,
}
