using System.Globalization;
using CallTracking.Engine.Hosting;

namespace CallTracking.Engine.Storage;

/// <summary>Where initdb, pg_ctl and postgres live: the configured folder, or Debian's newest <c>/usr/lib/postgresql/&lt;version&gt;/bin</c>.</summary>
public sealed record PostgresBinaries(string Directory)
{
    public const string DebianRoot = "/usr/lib/postgresql";

    public string InitDb => Path.Combine(Directory, "initdb");

    public string PgCtl => Path.Combine(Directory, "pg_ctl");

    /// <summary>Finds the binaries or throws a <see cref="StartupException"/> that says what to install.</summary>
    public static PostgresBinaries Locate(string? configured, string debianRoot = DebianRoot)
    {
        if (configured is not null)
        {
            return Complete(configured)
                ? new PostgresBinaries(configured)
                : throw Missing($"in Database:ServerBinaries ({configured})");
        }

        var newest = System.IO.Directory.Exists(debianRoot)
            ? System.IO.Directory.GetDirectories(debianRoot)
                .Select(d => (Directory: Path.Combine(d, "bin"), Version: Version(Path.GetFileName(d))))
                .Where(d => d.Version is not null && Complete(d.Directory))
                .OrderByDescending(d => d.Version)
                .Select(d => d.Directory)
                .FirstOrDefault()
            : null;
        return newest is not null ? new PostgresBinaries(newest) : throw Missing($"under {debianRoot}/<version>/bin");
    }

    private static bool Complete(string directory) =>
        File.Exists(Path.Combine(directory, "initdb")) && File.Exists(Path.Combine(directory, "pg_ctl")) && File.Exists(Path.Combine(directory, "postgres"));

    // "15" and "9.6" both sort by number, not text ("9.6" < "15").
    private static System.Version? Version(string name) =>
        System.Version.TryParse(name.Contains('.', StringComparison.Ordinal) ? name : name + ".0", out var v) ? v
        : int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var major) ? new System.Version(major, 0) : null;

    private static StartupException Missing(string where) => new(
        $"the embedded database needs the PostgreSQL server binaries (initdb, pg_ctl, postgres), found none {where}. "
        + "Install them with 'apt-get install postgresql', or set Database:ConnectionString to use an existing PostgreSQL server.");
}
