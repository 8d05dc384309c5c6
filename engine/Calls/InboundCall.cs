using CallTracking.Engine.Tracking;
using CallTracking.Media.Sessions;

namespace CallTracking.Engine.Calls;

/// <summary>
/// One call from a trunk to a tracking number, as the engine keeps it while it lasts. Signalling state
/// (transactions, the dialog) lives in the SIP layer; this is what the business cares about.
/// Threading: <see cref="State"/>, times and the end reason change under <see cref="_lock"/>; the rest is set once.
/// </summary>
public sealed class InboundCall
{
    private readonly Lock _lock = new();
    private readonly System.Text.StringBuilder _dtmf = new();
    private CallState _state = CallState.Ringing;

    public InboundCall(string callId, TrackingNumber number, string trunk, string callerNumber, string callerName, string? twilioCallSid, string? twilioAccountSid, DateTimeOffset startedAt)
    {
        CallId = callId;
        Number = number;
        Trunk = trunk;
        CallerNumber = callerNumber;
        CallerName = callerName;
        TwilioCallSid = twilioCallSid;
        TwilioAccountSid = twilioAccountSid;
        StartedAt = startedAt;
    }

    /// <summary>The SIP Call-ID of the inbound leg: the correlation id of everything this call logs.</summary>
    public string CallId { get; }

    public TrackingNumber Number { get; }

    public string Trunk { get; }

    public string CallerNumber { get; }

    public string CallerName { get; }

    /// <summary>Twilio's X-Twilio-CallSid, kept so a call can be found in Twilio's console.</summary>
    public string? TwilioCallSid { get; }

    public string? TwilioAccountSid { get; }

    public DateTimeOffset StartedAt { get; }

    public DateTimeOffset? AnsweredAt { get; private set; }

    public DateTimeOffset? EndedAt { get; private set; }

    public CallEndReason EndReason { get; private set; }

    /// <summary>The even RTP port of our side of the media session (RTCP is the next one).</summary>
    public int MediaPort { get; init; }

    public CallState State
    {
        get
        {
            lock (_lock)
            {
                return _state;
            }
        }
    }

    /// <summary>Ringing → Answered; false when the call is no longer ringing (a CANCEL won the race).</summary>
    public bool TryAnswer(DateTimeOffset now)
    {
        lock (_lock)
        {
            if (_state != CallState.Ringing)
            {
                return false;
            }

            _state = CallState.Answered;
            AnsweredAt = now;
            return true;
        }
    }

    /// <summary>Ends the call once; the first reason wins and later calls return false.</summary>
    public bool TryEnd(CallEndReason reason, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (_state == CallState.Ended)
            {
                return false;
            }

            _state = CallState.Ended;
            EndReason = reason;
            EndedAt = now;
            return true;
        }
    }

    /// <summary>Keys the caller pressed (RFC 4733), in order.</summary>
    public string Dtmf
    {
        get
        {
            lock (_lock)
            {
                return _dtmf.ToString();
            }
        }
    }

    /// <summary>The recording and the receive quality, once the media has stopped; null before.</summary>
    public MediaSummary? Media { get; private set; }

    public void AddDtmf(char digit)
    {
        lock (_lock)
        {
            _dtmf.Append(digit);
        }
    }

    public void CompleteMedia(MediaSummary summary)
    {
        lock (_lock)
        {
            Media = summary;
        }
    }

    public TimeSpan TalkTime => AnsweredAt is { } answered && EndedAt is { } ended ? ended - answered : TimeSpan.Zero;
}
