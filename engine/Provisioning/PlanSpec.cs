namespace CallTracking.Engine.Provisioning;

/// <summary>A routing plan: its name and the whole JSON object as written (stored as jsonb).</summary>
public sealed record PlanSpec(string Path, string Name, string DefinitionJson);
