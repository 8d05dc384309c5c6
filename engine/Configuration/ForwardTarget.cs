using CallTracking.Engine.Sip.Trunks;

namespace CallTracking.Engine.Configuration;

/// <summary>One destination a plan rings.</summary>
/// <param name="To">E.164 number (<c>+15559870001</c>) or SIP URI (<c>sip:desk@pbx.example.com</c>) as configured.</param>
/// <param name="IsSipUri">True when <paramref name="To"/> is a SIP URI, false for an E.164 number.</param>
/// <param name="Trunk">The trunk the call leaves through (it has <see cref="Trunk.Outbound"/>); null only for a SIP URI sent directly.</param>
/// <param name="Ring">How long to ring before giving up on this destination.</param>
public sealed record ForwardTarget(string To, bool IsSipUri, Trunk? Trunk, TimeSpan Ring);
