using CallTracking.Engine.Sip.Transactions;

namespace CallTracking.Engine.Configuration;

/// <summary>Validated SIP settings.</summary>
public sealed record SipSettings(
    IReadOnlyList<SipListenEndpoint> Listen,
    string? PublicAddress,
    SipTimerSettings Timers,
    TimeSpan SessionExpires,
    TimeSpan MinSE,
    string UserAgent,
    TimeSpan AnswerDelay);
