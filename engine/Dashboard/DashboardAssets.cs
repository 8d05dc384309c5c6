using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace CallTracking.Engine.Dashboard;

/// <summary>
/// The dashboard's static files, embedded in the engine (<c>Dashboard/wwwroot/**</c>, resource names
/// <c>dashboard/&lt;path&gt;</c>) so that a single executable serves them with no files to deploy and no CDN.
/// Each gets a strong ETag (the start of its SHA-256) computed once at start-up.
/// </summary>
public sealed class DashboardAssets
{
    private const string ResourcePrefix = "dashboard/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".json"] = "application/json",
        [".txt"] = "text/plain; charset=utf-8",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private readonly FrozenDictionary<string, DashboardAsset> _assets;

    public DashboardAssets()
        : this(typeof(DashboardAssets).Assembly)
    {
    }

    internal DashboardAssets(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var assets = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            // MSBuild's RecursiveDir uses the platform separator; URLs use '/'.
            var path = name[ResourcePrefix.Length..].Replace('\\', '/');
            if (!ContentTypes.TryGetValue(Path.GetExtension(path), out var contentType))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 12)) + "\"";
            assets[path] = new DashboardAsset(path, contentType, bytes, etag);
        }

        _assets = assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public int Count => _assets.Count;

    /// <summary>The asset at <paramref name="path"/> (relative, e.g. <c>assets/js/app.js</c>); null when there is none.</summary>
    public DashboardAsset? Find(string path) => _assets.GetValueOrDefault(path);
}
