namespace CallTracking.Media.Sessions;

/// <summary>What a media session reports upward.</summary>
public enum MediaEventKind : byte
{
    /// <summary>A key press detected from RFC 4733 telephone-events.</summary>
    Dtmf,

    /// <summary>No RTP for the inactivity time: the call is dead (the engine ends it with BYE).</summary>
    Inactive,

    /// <summary>The session stopped; its recording (if any) is complete on disk.</summary>
    Stopped,
}
