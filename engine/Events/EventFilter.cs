namespace CallTracking.Engine.Events;

/// <summary>
/// Which events a subscriber gets: those of <see cref="Organisations"/> (never empty: the caller resolves
/// "every organisation the key may see" before building the filter) and, for each other set that is not
/// empty, only events whose call matches one of its values.
/// </summary>
public sealed class EventFilter
{
    // Read-only after construction; read concurrently by the feed's fan-out and the replay.
    private readonly HashSet<Guid> _organisations;
    private readonly HashSet<string> _trackingNumbers;
    private readonly HashSet<Guid> _campaigns;
    private readonly HashSet<string> _kinds;

    public EventFilter(IEnumerable<Guid> organisations, IEnumerable<string>? trackingNumbers = null, IEnumerable<Guid>? campaigns = null, IEnumerable<string>? kinds = null)
    {
        ArgumentNullException.ThrowIfNull(organisations);
        Organisations = [.. organisations];
        if (Organisations.Length == 0)
        {
            throw new ArgumentException("an event filter needs at least one organisation", nameof(organisations));
        }

        TrackingNumbers = [.. trackingNumbers ?? []];
        Campaigns = [.. campaigns ?? []];
        Kinds = [.. kinds ?? []];
        _organisations = [.. Organisations];
        _trackingNumbers = new HashSet<string>(TrackingNumbers, StringComparer.Ordinal);
        _campaigns = [.. Campaigns];
        _kinds = new HashSet<string>(Kinds, StringComparer.Ordinal);
    }

    public Guid[] Organisations { get; }

    /// <summary>Empty: any number.</summary>
    public string[] TrackingNumbers { get; }

    /// <summary>Empty: any campaign.</summary>
    public Guid[] Campaigns { get; }

    /// <summary>Empty: every kind.</summary>
    public string[] Kinds { get; }

    public bool Matches(FeedEvent feedEvent)
    {
        ArgumentNullException.ThrowIfNull(feedEvent);
        return _organisations.Contains(feedEvent.OrganisationId)
            && (_trackingNumbers.Count == 0 || (feedEvent.TrackingNumber is { } number && _trackingNumbers.Contains(number)))
            && (_campaigns.Count == 0 || (feedEvent.CampaignId is { } campaign && _campaigns.Contains(campaign)))
            && (_kinds.Count == 0 || _kinds.Contains(feedEvent.Kind));
    }
}
