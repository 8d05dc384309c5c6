namespace CallTracking.Engine.Storage;

/// <summary>The call is over; ring and talk seconds are computed from the stored start and answer times.</summary>
public sealed record CallEnded(Guid CallId, Guid OrganisationId, DateTimeOffset EndedAt, CallDisposition Disposition)
{
    public HangupParty? HangupBy { get; init; }

    /// <summary>The SIP status or Reason header text that ended it, e.g. "BYE" or "487 Request Terminated".</summary>
    public string? SipReason { get; init; }

    public long? PacketsLost { get; init; }

    public double? JitterMs { get; init; }

    public double? Mos { get; init; }
}
