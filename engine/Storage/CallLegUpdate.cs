namespace CallTracking.Engine.Storage;

/// <summary>
/// What happened to an outbound leg; null fields keep their stored value. <see cref="Bridged"/> also writes the
/// <c>call.bridged</c> event (the caller and this leg are now talking).
/// </summary>
public sealed record CallLegUpdate(Guid LegId, Guid CallId, Guid OrganisationId)
{
    public DateTimeOffset? AnsweredAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>The final SIP status of the leg's INVITE (200, 486, 487, ...).</summary>
    public int? FinalStatus { get; init; }

    public string? Reason { get; init; }

    public bool Bridged { get; init; }

    /// <summary>The leg's own SIP Call-ID, known once the INVITE is on its way.</summary>
    public string? SipCallId { get; init; }
}
