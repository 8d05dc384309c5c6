namespace CallTracking.IntegrationTests.Infrastructure.GrpcPeers;

/// <summary>
/// @grpc/grpc-js (with @grpc/proto-loader) as a gRPC client, through <see cref="GrpcPeerPaths.NodeClientScript"/>
/// run by Debian's node with <see cref="GrpcPeerPaths.NodeModules"/> on NODE_PATH (tests/run installs them).
/// </summary>
public static class NodeGrpc
{
    public const string Interpreter = "node";

    /// <summary>Starts one call; the test may watch its lines, then waits for its exit.</summary>
    public static GrpcPeerProcess StartCall(GrpcClientCall call, TestDirectory directory, string name = "node-grpc")
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(directory);
        var arguments = new List<string> { GrpcPeerPaths.NodeClientScript };
        arguments.AddRange(call.ToArguments(directory.Path));
        return RunScript(arguments, directory, name);
    }

    /// <summary>Runs one call to its end. Throws (with stdout and stderr) when the script failed or printed no status.</summary>
    public static async Task<GrpcPeerResult> CallAsync(GrpcClientCall call, TestDirectory directory, TimeSpan? timeout = null, string name = "node-grpc")
    {
        using var peer = StartCall(call, directory, name);
        var result = await peer.WaitForExitAsync(timeout ?? TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        return result.Completed ? result : throw new InvalidOperationException($"The node gRPC client failed.\n{result.Describe()}");
    }

    /// <summary>Runs any node script with arguments (the first argument is the script path), node_modules on NODE_PATH.</summary>
    public static GrpcPeerProcess RunScript(IEnumerable<string> arguments, TestDirectory directory, string name = "node")
    {
        ArgumentNullException.ThrowIfNull(directory);
        var modules = GrpcPeerPaths.NodeModules;
        if (!Directory.Exists(Path.Combine(modules, "@grpc", "grpc-js")))
        {
            throw new InvalidOperationException($"@grpc/grpc-js is not installed under {modules}: run tests/run (it installs the pinned node peers), or set {GrpcPeerPaths.NodePeersVariable}.");
        }

        return GrpcPeerProcess.Start(Interpreter, arguments, new Dictionary<string, string> { ["NODE_PATH"] = modules }, directory.Path, PythonGrpc.UniqueLog(directory, name));
    }
}
