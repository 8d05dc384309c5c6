using System.Net;
using CallTracking.Media.Rtp;

namespace CallTracking.Media.Workers;

/// <summary>How the media engine is set up: where RTP sockets bind, which ports, how many workers.</summary>
/// <param name="BindAddress">Address RTP sockets bind to (the SDP may advertise another, e.g. behind NAT).</param>
/// <param name="Workers">Media threads; about one per core.</param>
/// <param name="WorkerNice">The media threads' nice value on Linux (-20 … 19, lower runs first); 0 leaves them as the
/// process is. Below 0 needs CAP_SYS_NICE: without it the workers run at the process's priority and
/// <see cref="MediaWorker.PriorityError"/> says why.</param>
public sealed record MediaEngineOptions(IPAddress BindAddress, RtpPortRange PortRange, int Workers, int WorkerNice = 0);
