using System.Globalization;
using System.Runtime.CompilerServices;

namespace CallTracking.IntegrationTests.Infrastructure;

/// <summary>
/// A folder of its own for one test: engine config, engine log, data folder,
/// sipp traces. It is always kept (xunit 2 does not tell a fixture whether
/// its test failed), under $CALLTRACKING_TEST_OUTPUT when set — tests/run
/// points that into its fresh results folder — or under /tmp/calltracking-it.
/// </summary>
public sealed class TestDirectory
{
    public const string RootVariable = "CALLTRACKING_TEST_OUTPUT";

    private TestDirectory(string path) => Path = path;

    public string Path { get; }

    public static TestDirectory Create([CallerMemberName] string testName = "")
    {
        var root = Environment.GetEnvironmentVariable(RootVariable);
        if (string.IsNullOrWhiteSpace(root))
        {
            root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "calltracking-it");
        }

        var stamp = DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);
        var unique = Guid.NewGuid().ToString("N")[..6];
        var path = System.IO.Path.Combine(root, $"{testName}-{stamp}-{unique}");
        Directory.CreateDirectory(path);
        return new TestDirectory(path);
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string SubDirectory(string name)
    {
        var path = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(path);
        return path;
    }

    public override string ToString() => Path;
}
