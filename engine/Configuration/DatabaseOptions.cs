namespace CallTracking.Engine.Configuration;

/// <summary>The <c>Database</c> section.</summary>
public sealed class DatabaseOptions
{
    /// <summary>
    /// An Npgsql connection string to an existing PostgreSQL. Empty (the default): the engine runs a private
    /// cluster of its own under <c>&lt;Data:Path&gt;/pg</c>.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Folder holding initdb, pg_ctl and postgres for the embedded cluster. Empty: the newest
    /// <c>/usr/lib/postgresql/&lt;version&gt;/bin</c> (Debian's <c>postgresql</c> package).
    /// </summary>
    public string? ServerBinaries { get; set; }
}
