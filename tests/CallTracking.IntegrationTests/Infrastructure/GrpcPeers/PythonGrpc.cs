namespace CallTracking.IntegrationTests.Infrastructure.GrpcPeers;

/// <summary>
/// Debian's python3-grpcio (1.51) as a gRPC client, through <see cref="GrpcPeerPaths.PythonClientScript"/>
/// run by /usr/bin/python3 (the python first on PATH does not see Debian's packages).
/// </summary>
public static class PythonGrpc
{
    public const string Interpreter = "/usr/bin/python3";

    /// <summary>Starts one call; the test may watch its lines, then waits for its exit.</summary>
    public static GrpcPeerProcess StartCall(GrpcClientCall call, TestDirectory directory, string name = "python-grpc")
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(directory);
        var arguments = new List<string> { GrpcPeerPaths.PythonClientScript };
        arguments.AddRange(call.ToArguments(directory.Path));
        // Grpc.Tools' protoc reads proto3 `optional` (calltracking.v1); Debian's bundled protoc 3.5 does not.
        if (GrpcPeerPaths.Protoc is { } protoc && GrpcPeerPaths.ProtocInclude is { } include)
        {
            arguments.AddRange(["--protoc", protoc, "--proto-include", include]);
        }

        return RunScript(arguments, directory, name);
    }

    /// <summary>Runs one call to its end. Throws (with stdout and stderr) when the script failed or printed no status.</summary>
    public static async Task<GrpcPeerResult> CallAsync(GrpcClientCall call, TestDirectory directory, TimeSpan? timeout = null, string name = "python-grpc")
    {
        using var peer = StartCall(call, directory, name);
        var result = await peer.WaitForExitAsync(timeout ?? TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        return result.Completed ? result : throw new InvalidOperationException($"The python gRPC client failed.\n{result.Describe()}");
    }

    /// <summary>Runs any python script with arguments (the first argument is the script path).</summary>
    public static GrpcPeerProcess RunScript(IEnumerable<string> arguments, TestDirectory directory, string name = "python")
    {
        ArgumentNullException.ThrowIfNull(directory);
        return GrpcPeerProcess.Start(Interpreter, arguments, new Dictionary<string, string> { ["PYTHONUNBUFFERED"] = "1" }, directory.Path, UniqueLog(directory, name));
    }

    internal static string UniqueLog(TestDirectory directory, string name) => directory.File($"{name}-{Guid.NewGuid().ToString("N")[..6]}.log");
}
