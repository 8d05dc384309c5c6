namespace CallTracking.IntegrationTests.Infrastructure;

/// <summary>Where the source tree is: scripts the tests run with node are read from it, not copied.</summary>
public static class RepositoryPaths
{
    /// <summary>The folder holding CallTracking.sln, found upwards from the test assembly's folder.</summary>
    public static string Root { get; } = FindRoot();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CallTracking.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"CallTracking.sln is not above {AppContext.BaseDirectory}; run the tests from the source tree.");
    }
}
