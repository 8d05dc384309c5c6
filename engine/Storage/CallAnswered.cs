namespace CallTracking.Engine.Storage;

/// <summary>The engine answered the inbound leg.</summary>
public sealed record CallAnswered(Guid CallId, Guid OrganisationId, DateTimeOffset AnsweredAt);
