namespace CallTracking.Engine.Storage;

/// <summary>One SQL migration: <c>0001_initial.sql</c> is version 1, name "initial".</summary>
public sealed record Migration(int Version, string Name, string Sql);
