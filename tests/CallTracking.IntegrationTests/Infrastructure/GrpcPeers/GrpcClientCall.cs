using System.Globalization;

namespace CallTracking.IntegrationTests.Infrastructure.GrpcPeers;

/// <summary>
/// One call for a peer script (grpc_client.py / grpc_client.js take the same arguments): where, which method,
/// which request, and how the client behaves (deadline, compression, metadata, cancelling).
/// </summary>
public sealed record GrpcClientCall
{
    /// <summary><c>127.0.0.1:PORT</c> of an h2c endpoint.</summary>
    public required string Target { get; init; }

    /// <summary>A folder of .proto files (all of them are loaded), e.g. <see cref="GrpcPeerPaths.EngineProtoRoot"/>.</summary>
    public required string ProtoRoot { get; init; }

    /// <summary><c>/package.Service/Method</c>.</summary>
    public required string Method { get; init; }

    /// <summary>The request as proto3 JSON (proto field names). Past 100 KiB it is passed through a file.</summary>
    public string RequestJson { get; init; } = "{}";

    /// <summary>The client's deadline (sent as grpc-timeout).</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Compress the request with gzip.</summary>
    public bool Gzip { get; init; }

    /// <summary>Request metadata, e.g. ("authorization", "Bearer …").</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Metadata { get; init; } = [];

    /// <summary>Cancel a server stream after this many messages.</summary>
    public int? MaxMessages { get; init; }

    /// <summary>Cancel the call this long after it started.</summary>
    public TimeSpan? CancelAfter { get; init; }

    /// <summary>Print MSG_SIZE lines instead of MSG json (for big messages).</summary>
    public bool SizesOnly { get; init; }

    /// <summary>Speak TLS, trusting this PEM certificate (null: cleartext h2c).</summary>
    public string? CaCertificate { get; init; }

    /// <summary>With <see cref="CaCertificate"/>: the name the server's certificate must carry (when the target is an address).</summary>
    public string? ServerName { get; init; }

    /// <summary>The script arguments; a large request is written to <paramref name="workDirectory"/>.</summary>
    public IReadOnlyList<string> ToArguments(string workDirectory)
    {
        var arguments = new List<string> { "--target", Target, "--proto-root", ProtoRoot, "--method", Method };
        if (RequestJson.Length > 100 * 1024)
        {
            var file = Path.Combine(workDirectory, $"request-{Guid.NewGuid():N}.json");
            File.WriteAllText(file, RequestJson);
            arguments.AddRange(["--request-file", file]);
        }
        else
        {
            arguments.AddRange(["--request", RequestJson]);
        }

        if (Timeout is { } timeout)
        {
            arguments.AddRange(["--timeout", timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)]);
        }

        if (Gzip)
        {
            arguments.AddRange(["--compression", "gzip"]);
        }

        foreach (var (key, value) in Metadata)
        {
            arguments.AddRange(["--metadata", $"{key}={value}"]);
        }

        if (MaxMessages is { } max)
        {
            arguments.AddRange(["--max-messages", max.ToString(CultureInfo.InvariantCulture)]);
        }

        if (CancelAfter is { } cancel)
        {
            arguments.AddRange(["--cancel-after-ms", ((int)cancel.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)]);
        }

        if (SizesOnly)
        {
            arguments.Add("--sizes-only");
        }

        if (CaCertificate is not null)
        {
            arguments.AddRange(["--ca-cert", CaCertificate]);
        }

        if (ServerName is not null)
        {
            arguments.AddRange(["--server-name", ServerName]);
        }

        return arguments;
    }
}
