namespace CallTracking.Engine.Configuration;

/// <summary>The <c>Media</c> section.</summary>
public sealed class MediaOptions
{
    /// <summary>Address advertised in SDP <c>c=</c> lines; null to use the local address of the call.</summary>
    public string? Address { get; set; }

    /// <summary>RTP/RTCP port range, <c>start-end</c> with an even start.</summary>
    public string PortRange { get; set; } = "20000-29999";

    /// <summary>No RTP for this many seconds ends the call with BYE.</summary>
    public int InactivitySeconds { get; set; } = 30;

    /// <summary><c>sdp</c>: hear RTP only from the address the SDP named; <c>any</c>: latch on the first source (NATed carriers).</summary>
    public string Latching { get; set; } = "sdp";

    /// <summary>Media threads; 0 means one per core.</summary>
    public int Workers { get; set; }

    /// <summary>The media threads' nice value on Linux (-20 … 19; 0 leaves them as the process is). Below 0 needs
    /// CAP_SYS_NICE; without it the engine logs a warning and the workers run at the process's priority.</summary>
    public int WorkerNice { get; set; } = -10;

    /// <summary>Record every answered call.</summary>
    public bool Record { get; set; } = true;
}
