using CallTracking.Grpc.V1;

namespace CallTracking.Engine.Events;

/// <summary>
/// One committed event as the feed carries it: the typed values filters compare, and the message sent to
/// subscribers. <see cref="Message"/> is shared by every subscriber that gets the event and must not be changed.
/// </summary>
public sealed record FeedEvent(long Id, Guid OrganisationId, string? TrackingNumber, Guid? CampaignId, string Kind, DateTimeOffset OccurredAt, CallEvent Message);
