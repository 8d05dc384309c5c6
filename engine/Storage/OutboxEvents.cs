namespace CallTracking.Engine.Storage;

/// <summary>Adds an event to the outbox inside a <see cref="CallRecordStore.WriteAsync{T}"/> transaction; returns its id.</summary>
public delegate Task<long> OutboxEvents(Guid organisationId, Guid? callId, string kind, string payloadJson, CancellationToken cancellationToken);
