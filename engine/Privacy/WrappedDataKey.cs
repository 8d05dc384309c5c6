namespace CallTracking.Engine.Privacy;

/// <summary>A <c>data_keys</c> row: a data key wrapped by master key <paramref name="MasterKeyId"/>.</summary>
public sealed record WrappedDataKey(Guid Id, string Purpose, Guid? CallId, string? RecordingPath, string MasterKeyId, byte[] Wrapped);
