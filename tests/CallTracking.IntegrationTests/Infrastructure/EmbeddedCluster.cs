using System.Globalization;
using Npgsql;

namespace CallTracking.IntegrationTests.Infrastructure;

/// <summary>The engine's embedded PostgreSQL under a data folder, seen from outside: its processes, its connection.</summary>
public static class EmbeddedCluster
{
    public static string ClusterDirectory(string dataPath) => Path.Combine(dataPath, "pg", "cluster");

    /// <summary>Postmaster processes (not their children) running on <paramref name="dataPath"/>'s cluster.</summary>
    public static IReadOnlyList<int> Postmasters(string dataPath)
    {
        var marker = "-D " + ClusterDirectory(dataPath) + " ";
        var found = new List<int>();
        foreach (var proc in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(proc, "cmdline")).Replace('\0', ' ');
                if (commandLine.Contains("postgres", StringComparison.Ordinal) && commandLine.Contains(marker, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // Exited while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    /// <summary>
    /// Stops (SIGINT, fast shutdown, then SIGKILL) a postmaster an engine left behind — a test that killed the
    /// engine gives it no chance to stop its cluster. Only processes of this data folder are addressed.
    /// </summary>
    public static async Task StopLeftoversAsync(string dataPath)
    {
        foreach (var pid in Postmasters(dataPath))
        {
            using var kill = System.Diagnostics.Process.Start("kill", ["-s", "INT", pid.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync().ConfigureAwait(false);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (Directory.Exists($"/proc/{pid}") && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Through the Unix socket (the tests run as root, who may enter the socket folder), to the engine's database.</summary>
    public static string ConnectionString(string dataPath)
    {
        var pg = Path.Combine(dataPath, "pg");
        var port = int.Parse(File.ReadAllText(Path.Combine(pg, "port")).Trim(), CultureInfo.InvariantCulture);
        var socketDirectory = CallTracking.Engine.Storage.EmbeddedPostgres.SocketDirectoryFor(Path.Combine(dataPath, "pg"));
        return new NpgsqlConnectionStringBuilder
        {
            Host = socketDirectory,
            Port = port,
            Username = "calltracking",
            Database = "calltracking",
            Pooling = false,
        }.ConnectionString;
    }
}
