using CallTracking.Media.Rtp;

namespace CallTracking.Engine.Configuration;

/// <summary>Validated media settings. <see cref="Address"/> is an IP literal or host name, or null for "the call's local address".</summary>
public sealed record MediaSettings(string? Address, RtpPortRange PortRange, TimeSpan Inactivity, bool LatchAnySource, int Workers, bool Record, int WorkerNice = 0);
