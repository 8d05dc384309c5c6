namespace CallTracking.IntegrationTests.Infrastructure.GrpcPeers;

/// <summary>
/// Where the gRPC client peers and their inputs live: the scripts (copied next to the test assembly), the
/// repository's contract protos, the npm packages tests/run installs, and Grpc.Tools' protoc from the NuGet cache.
/// </summary>
public static class GrpcPeerPaths
{
    /// <summary>Overrides the folder holding <c>node_modules</c> (default: <c>.artifacts/node-peers</c> under the repository).</summary>
    public const string NodePeersVariable = "CALLTRACKING_NODE_PEERS";

    public static string ScriptsDirectory => Path.Combine(AppContext.BaseDirectory, "Grpc", "peers");

    /// <summary>grpc_client.py: one call with Debian's python3-grpcio.</summary>
    public static string PythonClientScript => Path.Combine(ScriptsDirectory, "grpc_client.py");

    /// <summary>grpc_client.js: one call with @grpc/grpc-js.</summary>
    public static string NodeClientScript => Path.Combine(ScriptsDirectory, "grpc_client.js");

    /// <summary>The interop tests' own proto root (interop/v1/interop.proto).</summary>
    public static string InteropProtoRoot => Path.Combine(AppContext.BaseDirectory, "Grpc", "protos");

    /// <summary>The engine's contract: grpc/protos (calltracking.v1, grpc.health.v1).</summary>
    public static string EngineProtoRoot => Path.Combine(RepositoryRoot, "grpc", "protos");

    public static string RepositoryRoot
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "CallTracking.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException($"No CallTracking.sln above {AppContext.BaseDirectory}");
        }
    }

    /// <summary>The node_modules folder with @grpc/grpc-js and @grpc/proto-loader (installed by tests/run).</summary>
    public static string NodeModules
    {
        get
        {
            var root = Environment.GetEnvironmentVariable(NodePeersVariable);
            if (string.IsNullOrWhiteSpace(root))
            {
                root = Path.Combine(RepositoryRoot, ".artifacts", "node-peers");
            }

            return Path.Combine(root, "node_modules");
        }
    }

    /// <summary>
    /// Grpc.Tools' protoc (libprotoc 35): Debian's grpc_tools bundles protoc 3.5, which cannot read proto3
    /// <c>optional</c> (used by calltracking.v1), so the Python peer compiles with this one. Null when not restored.
    /// </summary>
    public static string? Protoc => GrpcToolsDirectory() is { } tools ? Path.Combine(tools, "tools", "linux_x64", "protoc") : null;

    /// <summary>The google/protobuf/*.proto well-known types shipped with Grpc.Tools.</summary>
    public static string? ProtocInclude => GrpcToolsDirectory() is { } tools ? Path.Combine(tools, "build", "native", "include") : null;

    private static string? GrpcToolsDirectory()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (string.IsNullOrWhiteSpace(packages))
        {
            packages = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        }

        var root = Path.Combine(packages, "grpc.tools");
        if (!Directory.Exists(root))
        {
            return null;
        }

        return Directory.GetDirectories(root)
            .Select(path => (Path: path, Version: Version.TryParse(Path.GetFileName(path), out var version) ? version : null))
            .Where(entry => entry.Version is not null && File.Exists(Path.Combine(entry.Path, "tools", "linux_x64", "protoc")))
            .OrderByDescending(entry => entry.Version)
            .Select(entry => entry.Path)
            .FirstOrDefault();
    }
}
