namespace CallTracking.Engine.Configuration;

/// <summary>The <c>Media</c> section.</summary>
public sealed class MediaOptions
{
    /// <summary>Address advertised in SDP <c>c=</c> lines; null to use the local address of the call.</summary>
    public string? Address { get; set; }

    /// <summary>RTP/RTCP port range, <c>start-end</c> with an even start.</summary>
    public string PortRange { get; set; } = "20000-29999";
}
