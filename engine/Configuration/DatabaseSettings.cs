namespace CallTracking.Engine.Configuration;

/// <summary>Validated <c>Database</c> section: <paramref name="ConnectionString"/> null means the embedded cluster.</summary>
public sealed record DatabaseSettings(string? ConnectionString, string? ServerBinaries)
{
    public static readonly DatabaseSettings Embedded = new(null, null);

    public bool IsEmbedded => ConnectionString is null;
}
