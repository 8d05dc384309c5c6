namespace CallTracking.Engine.Provisioning;

/// <summary>A trunk: its unique name, the organisation that owns it (null: shared), and the whole JSON object as written.</summary>
public sealed record TrunkSpec(string Path, string Name, string? Organisation, string DefinitionJson);
