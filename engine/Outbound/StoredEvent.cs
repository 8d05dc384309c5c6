namespace CallTracking.Engine.Outbound;

/// <summary>A row of the <c>events</c> table as outbound consumers read it: the payload stays raw JSON.</summary>
public sealed record StoredEvent(long Id, Guid OrganisationId, Guid? CallId, string Kind, DateTimeOffset OccurredAt, string PayloadJson);
