namespace CallTracking.Engine.Grpc;

/// <summary>The parts of a <c>calltracking.v1.Call</c> that live beside the call row: display names and the recording's length.</summary>
internal sealed record CallDetails(string? TrackingNumberName, string? CampaignName, long? RecordingDurationMs);
