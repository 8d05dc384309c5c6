using System.Buffers.Text;
using CallTracking.Engine.Sip.Messages;

namespace CallTracking.Engine.Sip.Dialogs;

/// <summary>
/// RFC 4028 session timers, UAS side: keeps calls from being torn down by carriers that expect refreshes
/// (Twilio and most trunks send <c>Session-Expires</c>; without honouring it calls die at 15 or 30 minutes).
/// </summary>
public sealed class SessionTimerNegotiation
{
    // RFC 4028 §4: Min-SE must never be below 90 seconds.
    public const int AbsoluteMinimumSeconds = 90;

    private readonly int _defaultIntervalSeconds;
    private readonly int _minSESeconds;

    public SessionTimerNegotiation(int defaultIntervalSeconds, int minSESeconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minSESeconds, AbsoluteMinimumSeconds);
        ArgumentOutOfRangeException.ThrowIfLessThan(defaultIntervalSeconds, minSESeconds);
        _defaultIntervalSeconds = defaultIntervalSeconds;
        _minSESeconds = minSESeconds;
    }

    public int MinSESeconds => _minSESeconds;

    /// <summary>Decides for an INVITE, re-INVITE or UPDATE that we answer with 2xx.</summary>
    public SessionTimerDecision Decide(SipMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uacSupportsTimer = Lists(request, HeaderKind.Supported, "timer"u8) || Lists(request, HeaderKind.Require, "timer"u8);

        if (request.TryGetHeader(HeaderKind.SessionExpires, out var sessionExpires))
        {
            if (!TryReadDelta(sessionExpires, out var requested, out var rest))
            {
                // Unreadable: act as if the header were absent rather than fail the call.
                return Default(uacSupportsTimer);
            }

            // RFC 4028 §9: a value below our Min-SE is answered 422 with our Min-SE.
            if (requested < _minSESeconds)
            {
                return SessionTimerDecision.TooSmall(_minSESeconds);
            }

            var refresher = ReadRefresher(rest);
            if (refresher == SessionRefresher.None)
            {
                // RFC 4028 §9: the UAS chooses; a UAC that supports timers can refresh, one that does not cannot.
                refresher = uacSupportsTimer ? SessionRefresher.Uac : SessionRefresher.Uas;
            }
            else if (refresher == SessionRefresher.Uac && !uacSupportsTimer)
            {
                refresher = SessionRefresher.Uas;
            }

            return new SessionTimerDecision(false, requested, refresher, uacSupportsTimer, _minSESeconds);
        }

        return Default(uacSupportsTimer);
    }

    private SessionTimerDecision Default(bool uacSupportsTimer)
    {
        // RFC 4028 §9: the UAS may ask for a session timer even when the UAC did not; when the UAC does not
        // support timers we must be the refresher and must not send Require: timer.
        var interval = _defaultIntervalSeconds;
        return new SessionTimerDecision(false, interval, uacSupportsTimer ? SessionRefresher.Uac : SessionRefresher.Uas, uacSupportsTimer, _minSESeconds);
    }

    private static bool TryReadDelta(ReadOnlySpan<byte> value, out int seconds, out ReadOnlySpan<byte> rest)
    {
        value = value.Trim(" \t"u8);
        if (Utf8Parser.TryParse(value, out uint parsed, out var consumed) && consumed > 0 && parsed <= int.MaxValue)
        {
            seconds = (int)parsed;
            rest = value[consumed..];
            return true;
        }

        seconds = 0;
        rest = default;
        return false;
    }

    private static SessionRefresher ReadRefresher(ReadOnlySpan<byte> parameters)
    {
        while (!parameters.IsEmpty)
        {
            var semicolon = parameters.IndexOf((byte)';');
            if (semicolon < 0)
            {
                break;
            }

            parameters = parameters[(semicolon + 1)..];
            var end = parameters.IndexOf((byte)';');
            var parameter = (end < 0 ? parameters : parameters[..end]).Trim(" \t"u8);
            var equals = parameter.IndexOf((byte)'=');
            if (equals > 0 && parameter[..equals].Trim(" \t"u8).EqualsOrdinalIgnoreCase("refresher"u8))
            {
                var value = parameter[(equals + 1)..].Trim(" \t"u8);
                if (value.EqualsOrdinalIgnoreCase("uac"u8))
                {
                    return SessionRefresher.Uac;
                }

                if (value.EqualsOrdinalIgnoreCase("uas"u8))
                {
                    return SessionRefresher.Uas;
                }
            }
        }

        return SessionRefresher.None;
    }

    private static bool Lists(SipMessage message, HeaderKind kind, ReadOnlySpan<byte> optionTag)
    {
        foreach (var value in message.GetHeaderValues(kind))
        {
            if (value.Trim(" \t"u8).EqualsOrdinalIgnoreCase(optionTag))
            {
                return true;
            }
        }

        return false;
    }
}
