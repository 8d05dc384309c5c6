using System.Text.Json;

namespace CallTracking.IntegrationTests.Infrastructure.Browser;

/// <summary>
/// Runs a node script that drives Debian's Chromium (<see cref="ChromiumPath"/>) through npm
/// <c>playwright-core</c> (<see cref="PlaywrightVersion"/>, installed by tests/run — or here, when missing — into
/// the git-ignored <c>.artifacts/node-peers</c>). The script should <c>require</c> <c>browser.cjs</c> beside
/// this file, which launches Chromium headless with the flags a closed network needs (<c>--no-sandbox</c> when
/// root) and saves screenshots into the test's folder. The script's exit code is the verdict; its output is
/// the evidence.
/// </summary>
public static class BrowserScript
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Pinned: Playwright speaks CDP to the browser and each release is tested against one Chromium line.</summary>
    public const string PlaywrightVersion = "1.65.1";

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(120);

    /// <summary>The npm prefix shared by the node peers of the integration tests (playwright-core, gRPC clients).</summary>
    public static string NodePeers => RepositoryPaths.Combine(".artifacts", "node-peers");

    /// <summary>The helper module scripts require: <c>require(process.env.CALLTRACKING_BROWSER_HELPER)</c>.</summary>
    public static string Helper => RepositoryPaths.Combine("tests", "CallTracking.IntegrationTests", "Infrastructure", "Browser", "browser.cjs");

    /// <summary>
    /// Runs <paramref name="script"/> (a path under the repository) with <paramref name="arguments"/> and
    /// <paramref name="environment"/> added to the browser variables: CALLTRACKING_NODE_PEERS,
    /// CALLTRACKING_CHROMIUM, CALLTRACKING_BROWSER_HELPER, CALLTRACKING_NO_SANDBOX and CALLTRACKING_SCREENSHOTS
    /// (<c>screenshots/</c> in <paramref name="directory"/>, under $CALLTRACKING_TEST_OUTPUT when set).
    /// </summary>
    public static async Task<NodeResult> RunAsync(
        TestDirectory directory,
        string script,
        IReadOnlyList<string>? arguments = null,
        IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!File.Exists(ChromiumPath))
        {
            throw new FileNotFoundException("Chromium is not installed: apt-get install chromium (tests/run does).", ChromiumPath);
        }

        await EnsurePlaywrightAsync(directory).ConfigureAwait(false);
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["CALLTRACKING_NODE_PEERS"] = NodePeers,
            ["CALLTRACKING_CHROMIUM"] = ChromiumPath,
            ["CALLTRACKING_BROWSER_HELPER"] = Helper,
            ["CALLTRACKING_NO_SANDBOX"] = Environment.UserName == "root" ? "1" : "0",
            ["CALLTRACKING_SCREENSHOTS"] = directory.SubDirectory("screenshots"),
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }

        return await NodeRunner.RunAsync(
            directory.Path,
            [Path.GetFullPath(script, RepositoryPaths.Root), .. arguments ?? []],
            variables,
            timeout ?? DefaultTimeout,
            directory.File(Path.GetFileNameWithoutExtension(script) + ".log")).ConfigureAwait(false);
    }

    /// <summary>npm's entry script (node runs it): /usr/bin/npm is a link to it, wherever this node's npm lives.</summary>
    private static string NpmCli() =>
        new FileInfo("/usr/bin/npm").ResolveLinkTarget(returnFinalTarget: true)?.FullName
        ?? throw new FileNotFoundException("npm is not installed (Debian package 'npm').", "/usr/bin/npm");

    /// <summary>Installs the pinned playwright-core into <see cref="NodePeers"/> unless that exact version is there.</summary>
    private static async Task EnsurePlaywrightAsync(TestDirectory directory)
    {
        var manifest = Path.Combine(NodePeers, "node_modules", "playwright-core", "package.json");
        if (File.Exists(manifest))
        {
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(manifest).ConfigureAwait(false));
            if (json.RootElement.GetProperty("version").GetString() == PlaywrightVersion)
            {
                return;
            }
        }

        Directory.CreateDirectory(NodePeers);
        var npm = await NodeRunner.RunAsync(
            RepositoryPaths.Root,
            [NpmCli(), "install", "--prefix", NodePeers, "--no-audit", "--no-fund", "--save-exact", $"playwright-core@{PlaywrightVersion}"],
            null,
            TimeSpan.FromMinutes(3),
            directory.File("npm-install.log")).ConfigureAwait(false);
        if (!npm.Succeeded)
        {
            throw new InvalidOperationException($"Could not install playwright-core {PlaywrightVersion}:{Environment.NewLine}{npm}");
        }
    }
}
