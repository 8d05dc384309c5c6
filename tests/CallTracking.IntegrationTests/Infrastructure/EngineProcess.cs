using System.Text.Encodings.Web;
using System.Text.Json;

namespace CallTracking.IntegrationTests.Infrastructure;

/// <summary>
/// The real engine, started as its own process:
/// <c>dotnet calltracking.dll run --config &lt;dir&gt;/engine.json --Data:Path=&lt;dir&gt;/data [args]</c>.
/// Its output goes to <see cref="Log"/> and to <c>&lt;dir&gt;/engine.log</c>.
/// <see cref="StartAsync(TestDirectory, int, object, string[])"/> returns once the engine is
/// ready: its SIP port answers an OPTIONS over UDP with any SIP response, or it
/// logged <see cref="StartedMarker"/>. Disposing always stops it.
/// </summary>
public sealed class EngineProcess : IAsyncDisposable
{
    public const string StartedMarker = "CallTracking engine started";

    // The first start of an engine creates its embedded PostgreSQL (initdb), seconds more on a busy machine.
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(45);

    private static readonly JsonSerializerOptions ConfigJson = new()
    {
        WriteIndented = true,
        // Keep "+15551230001" readable in the config file a person opens after a failure.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly CapturedProcess _process;

    private EngineProcess(CapturedProcess process, TestDirectory directory, int sipPort)
    {
        _process = process;
        Directory = directory;
        SipPort = sipPort;
    }

    public TestDirectory Directory { get; }

    /// <summary>The engine's Data:Path.</summary>
    public string DataPath => System.IO.Path.Combine(Directory.Path, "data");

    /// <summary>The port of the engine's SIP listeners on 127.0.0.1 (UDP and TCP).</summary>
    public int SipPort { get; }

    public string Log => _process.Output;

    /// <summary>
    /// Waits for <see cref="HttpBaseAddress"/>: SIP may answer (ready) a moment before Kestrel has bound and logged its address.
    /// </summary>
    public async Task<Uri> WaitForHttpBaseAddressAsync()
    {
        var deadline = DateTime.UtcNow + ReadyTimeout;
        while (HttpBaseAddress is null)
        {
            if (HasExited || DateTime.UtcNow > deadline)
            {
                throw new EngineStartException("The engine logged no \"HTTP API listening on\" line.", this);
            }

            await Task.Delay(50).ConfigureAwait(false);
        }

        return HttpBaseAddress;
    }

    /// <summary>
    /// The REST API's base address (<c>http://127.0.0.1:PORT/</c>) from the engine's
    /// "HTTP API listening on" line; null when it has not logged one.
    /// </summary>
    public Uri? HttpBaseAddress
    {
        get
        {
            var match = System.Text.RegularExpressions.Regex.Match(Log, @"HTTP API listening on (http://\S+)");
            return match.Success ? new Uri(match.Groups[1].Value.TrimEnd('/') + "/") : null;
        }
    }

    /// <summary>The gRPC endpoint (<c>http://127.0.0.1:PORT/</c>, h2c) from the engine's "gRPC listening on" line; null when it has not logged one.</summary>
    public Uri? GrpcAddress
    {
        get
        {
            var match = System.Text.RegularExpressions.Regex.Match(Log, @"gRPC listening on (https?://\S+)");
            return match.Success ? new Uri(match.Groups[1].Value.TrimEnd('/') + "/") : null;
        }
    }

    public string CommandLine => _process.CommandLine;

    public int? ExitCode => _process.ExitCode;

    public bool HasExited => _process.HasExited;

    public string LogTail(int lines = 40) => _process.Tail(lines);

    /// <summary>Serialises <paramref name="config"/> (an object, e.g. from <see cref="EngineConfigs"/>) as the engine's JSON config.</summary>
    public static Task<EngineProcess> StartAsync(TestDirectory directory, int sipPort, object config, params string[] arguments) =>
        StartAsync(directory, sipPort, JsonSerializer.Serialize(config, ConfigJson), arguments);

    /// <summary>Starts the engine with <paramref name="configJson"/> written verbatim as its config file.</summary>
    public static async Task<EngineProcess> StartAsync(TestDirectory directory, int sipPort, string configJson, params string[] arguments)
    {
        var configPath = directory.File("engine.json");
        await File.WriteAllTextAsync(configPath, configJson).ConfigureAwait(false);
        var dataPath = directory.SubDirectory("data");
        var engineDll = Path.Combine(AppContext.BaseDirectory, "calltracking.dll");
        if (!File.Exists(engineDll))
        {
            throw new FileNotFoundException("The engine is not in the test output folder; build the solution first.", engineDll);
        }

        // The HTTP API and gRPC on ports of their own unless the test chose one (a key given twice is a configuration error);
        // its URL is read from the log.
        string[] http = arguments.Any(a => a.StartsWith("--Http:Listen", StringComparison.OrdinalIgnoreCase)) ? [] : ["--Http:Listen=http://127.0.0.1:0"];
        string[] grpc = arguments.Any(a => a.StartsWith("--Grpc:Listen", StringComparison.OrdinalIgnoreCase)) ? [] : ["--Grpc:Listen=http://127.0.0.1:0"];
        string[] all = [engineDll, "run", "--config", configPath, $"--Data:Path={dataPath}", .. http, .. grpc, .. arguments];
        var process = CapturedProcess.Start(DotnetHost(), all, directory.Path, directory.File("engine.log"));
        var engine = new EngineProcess(process, directory, sipPort);
        try
        {
            await engine.WaitUntilReadyAsync().ConfigureAwait(false);
            return engine;
        }
        catch
        {
            await engine.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>SIGTERM, then SIGKILL if the engine has not exited after <paramref name="grace"/> (default 10 s). Returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan? grace = null)
    {
        if (!_process.HasExited)
        {
            await _process.SignalAsync("TERM").ConfigureAwait(false);
            if (!await _process.WaitForExitAsync(grace ?? TimeSpan.FromSeconds(10)).ConfigureAwait(false))
            {
                _process.Kill();
            }
        }

        return await _process.WaitForExitAsync().ConfigureAwait(false);
    }

    /// <summary>Sends a signal by name ("STOP", "CONT", ...) to the engine's process.</summary>
    public Task SignalAsync(string signal) => _process.SignalAsync(signal);

    /// <summary>SIGKILL: the engine dies without any chance to clean up (crash test).</summary>
    public void Kill() => _process.Kill();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        finally
        {
            _process.Dispose();

            // A killed engine cannot stop its embedded PostgreSQL; the test that started the engine does.
            await EmbeddedCluster.StopLeftoversAsync(DataPath).ConfigureAwait(false);
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + ReadyTimeout;
        while (true)
        {
            if (Log.Contains(StartedMarker, StringComparison.Ordinal))
            {
                return;
            }

            if (_process.HasExited)
            {
                await _process.WaitForExitAsync().ConfigureAwait(false);
                throw new EngineStartException(
                    $"The engine exited with code {_process.ExitCode} before it was ready.", this);
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new EngineStartException(
                    $"The engine was not ready after {ReadyTimeout.TotalSeconds:0} s: no SIP response to OPTIONS on udp:127.0.0.1:{SipPort} and no \"{StartedMarker}\" in its log.",
                    this);
            }

            if (await SipOptionsProbe.AnswersAsync(SipPort, TimeSpan.FromMilliseconds(250)).ConfigureAwait(false))
            {
                return;
            }

            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    // `dotnet test` tells its children which host it runs on; fall back to PATH.
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
