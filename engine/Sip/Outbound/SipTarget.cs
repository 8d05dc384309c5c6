using CallTracking.Engine.Sip.Transport;

namespace CallTracking.Engine.Sip.Outbound;

/// <summary>One place to send a request to, with the host name it came from (for logs).</summary>
public readonly record struct SipTarget(SipRemote Remote, string Host);
