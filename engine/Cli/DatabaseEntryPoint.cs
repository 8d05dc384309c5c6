using CallTracking.Engine.Configuration;
using Npgsql;

namespace CallTracking.Engine.Cli;

/// <summary>
/// What the database commands (<c>provision</c>, <c>keys</c>) call once the configuration is valid:
/// open the database the configuration names (migrated), run <paramref name="work"/> on it, close it,
/// and return its exit code — or write why the database is unavailable and return 69. Tests substitute it.
/// </summary>
public delegate Task<int> DatabaseEntryPoint(
    EngineSettings settings,
    IConfiguration configuration,
    Func<NpgsqlDataSource, Task<int>> work,
    TextWriter error,
    CancellationToken cancellationToken);
