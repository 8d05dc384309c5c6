using System.Net;
using CallTracking.Media.Rtp;

namespace CallTracking.Media.Workers;

/// <summary>How the media engine is set up: where RTP sockets bind, which ports, how many workers.</summary>
/// <param name="BindAddress">Address RTP sockets bind to (the SDP may advertise another, e.g. behind NAT).</param>
/// <param name="Workers">Media threads; about one per core.</param>
public sealed record MediaEngineOptions(IPAddress BindAddress, RtpPortRange PortRange, int Workers);
