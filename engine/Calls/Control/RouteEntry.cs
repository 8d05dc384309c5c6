using CallTracking.Engine.Configuration;
using CallTracking.Engine.Tracking;

namespace CallTracking.Engine.Calls.Control;

/// <summary>
/// Everything a call to one tracking number needs, resolved before the call arrives: the number and its plan, the
/// database ids its call record refers to (null when the database has not been read yet), and the plan's prompts.
/// </summary>
public sealed record RouteEntry(TrackingNumber Number, RoutingPlan Plan)
{
    public Guid? OrganisationId { get; init; }

    public Guid? CampaignId { get; init; }

    public string? CampaignName { get; init; }

    public Guid? NumberId { get; init; }

    /// <summary>The audio of <see cref="Plan"/> (and of its outside-hours plan), loaded off the SIP threads.</summary>
    public PlanPrompts Prompts { get; init; } = PlanPrompts.Empty;
}
