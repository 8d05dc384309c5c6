using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CallTracking.Engine.Api;
using CallTracking.Engine.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CallTracking.Bench.Events;

/// <summary>
/// Event latency from commit to a subscriber's receipt, and the engine's CPU cost of fan-out per subscriber.
/// <c>dotnet calltracking-bench.dll event-latency [--subscribers 100] [--calls-per-second 50] [--seconds 20]
/// [--fanout 0,25,100] [--writers 1]</c>: starts its own PostgreSQL cluster and a Release engine against it, opens the
/// subscribers as separate HTTP/2 connections to the engine's gRPC endpoint, and writes calls into the database
/// with the engine's own <see cref="CallRecordStore"/>, as a second engine node would. The engine learns of them
/// only through LISTEN/NOTIFY and the events table: exactly the path a dashboard's events take.
/// </summary>
internal static class EventLatency
{
    public static async Task<int> RunAsync(string[] args)
    {
        var subscribers = Option(args, "--subscribers", 100);
        var callsPerSecond = Option(args, "--calls-per-second", 50);
        var seconds = Option(args, "--seconds", 20);
        var writers = Option(args, "--writers", 1);
        var fanout = (OptionText(args, "--fanout") ?? "1,25,100").Split(',').Select(int.Parse).ToArray();

        var root = RepositoryRoot();
        var engineDll = Path.Combine(root, ".artifacts", "bin", "CallTracking.Engine", "release", "calltracking.dll");
        if (!File.Exists(engineDll))
        {
            await Console.Error.WriteLineAsync($"event-latency: {engineDll} is missing; build it first: dotnet build engine -c Release").ConfigureAwait(false);
            return 1;
        }

        // Not CreateTempSubdirectory (mode 0700): the embedded cluster runs as the unprivileged 'postgres' user when
        // we are root, and must be able to enter the folder.
        var work = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"calltracking-event-latency-{Environment.ProcessId}"));
        Console.Error.WriteLine($"==> working in {work.FullName}");
        var database = new EmbeddedPostgres(Path.Combine(work.FullName, "db"), null, NullLogger<EmbeddedPostgres>.Instance);
        Process? engine = null;
        try
        {
            Console.Error.WriteLine("==> starting PostgreSQL");
            await database.StartAsync(CancellationToken.None).ConfigureAwait(false);
            await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(database.ConnectionString) { MaxPoolSize = 40 }.ConnectionString);
            await new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance).ApplyAsync(CancellationToken.None).ConfigureAwait(false);
            Guid organisationId;
            await using (var insert = dataSource.CreateCommand("INSERT INTO organisations (name) VALUES ('bench') RETURNING id"))
            {
                organisationId = (Guid)(await insert.ExecuteScalarAsync().ConfigureAwait(false))!;
            }

            var key = (await new ApiKeyStore(dataSource, TimeProvider.System).CreateAsync("bench", "bench", CancellationToken.None).ConfigureAwait(false))!.Key;

            var grpcPort = FreeTcpPort();
            engine = StartEngine(engineDll, work.FullName, database.ConnectionString, grpcPort);
            var grpc = new Uri($"http://127.0.0.1:{grpcPort}");
            await WaitForPortAsync(grpcPort, engine).ConfigureAwait(false);
            Console.Error.WriteLine($"==> engine pid {engine.Id} serving gRPC on {grpc}");

            var store = new CallRecordStore(dataSource);

            // Warm-up: JIT, connection pools, the feed's first reads; not measured.
            await MeasureAsync(grpc, key, store, organisationId, 2, callsPerSecond, 3, writers, engine, quiet: true).ConfigureAwait(false);

            Console.Error.WriteLine($"==> latency: {subscribers} subscribers, {callsPerSecond} calls/s, {seconds} s");
            var latency = await MeasureAsync(grpc, key, store, organisationId, subscribers, callsPerSecond, seconds, writers, engine, quiet: false).ConfigureAwait(false);

            var cost = new List<(int Subscribers, Run Run)>();
            foreach (var n in fanout)
            {
                Console.Error.WriteLine($"==> fan-out: {n} subscribers, {callsPerSecond} calls/s, {Math.Max(5, seconds / 2)} s");
                cost.Add((n, await MeasureAsync(grpc, key, store, organisationId, n, callsPerSecond, Math.Max(5, seconds / 2), writers, engine, quiet: true).ConfigureAwait(false)));
            }

            Report(latency, subscribers, callsPerSecond, seconds, cost);
            return latency.Missing == 0 && latency.Duplicates == 0 && latency.OutOfOrder == 0 ? 0 : 1;
        }
        finally
        {
            if (engine is { HasExited: false })
            {
                engine.Kill(entireProcessTree: true);
                await engine.WaitForExitAsync().ConfigureAwait(false);
            }

            await database.StopAsync().ConfigureAwait(false);
            if (!args.Contains("--keep"))
            {
                work.Delete(recursive: true);
            }
        }
    }

    private static async Task<Run> MeasureAsync(Uri grpc, string key, CallRecordStore store, Guid organisationId, int subscriberCount, int callsPerSecond, int seconds, int writers, Process engine, bool quiet)
    {
        var streams = new List<GrpcStreamSubscriber>();
        using var stop = new CancellationTokenSource();
        for (var i = 0; i < subscriberCount; i++)
        {
            var subscriber = new GrpcStreamSubscriber(grpc, key);
            await subscriber.StartAsync(stop.Token).ConfigureAwait(false);
            streams.Add(subscriber);
        }

        // Let every stream reach the feed before the first commit: "from now" starts when the engine has it.
        await Task.Delay(500).ConfigureAwait(false);
        engine.Refresh();
        var cpuBefore = engine.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var load = new CallEventLoad(store, organisationId, writers);
        await load.RunAsync(callsPerSecond, TimeSpan.FromSeconds(seconds), CancellationToken.None).ConfigureAwait(false);
        await Task.Delay(1000).ConfigureAwait(false);
        engine.Refresh();
        var cpu = engine.TotalProcessorTime - cpuBefore;
        var wall = clock.Elapsed;
        await stop.CancelAsync().ConfigureAwait(false);
        foreach (var stream in streams)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }

        var latencies = new List<double>();
        long missing = 0, duplicates = 0, outOfOrder = 0;
        var failures = streams.Where(s => s.Failure is not null).Select(s => s.Failure!).Distinct().ToList();
        foreach (var stream in streams)
        {
            var seen = new HashSet<(string, string)>();
            long last = 0;
            foreach (var receipt in stream.Receipts)
            {
                if (receipt.Id <= last)
                {
                    outOfOrder++;
                }

                last = Math.Max(last, receipt.Id);
                if (!seen.Add((receipt.CallId, receipt.Kind)))
                {
                    duplicates++;
                }

                if (load.Committed.TryGetValue((receipt.CallId, receipt.Kind), out var committed))
                {
                    latencies.Add(Stopwatch.GetElapsedTime(committed, receipt.ArrivedAt).TotalMilliseconds);
                }
            }

            missing += load.Committed.Keys.Count(k => !seen.Contains(k));
        }

        latencies.Sort();
        var run = new Run(load.Calls, load.Committed.Count, latencies, missing, duplicates, outOfOrder, cpu, wall, load.Failures, failures);
        if (!quiet)
        {
            Console.Error.WriteLine($"    {run.Calls} calls started, {run.WriteFailures} failed to write; {run.Events} events committed, {latencies.Count} receipts, missing {missing}, duplicates {duplicates}, out of order {outOfOrder}");
        }

        return run;
    }

    private static void Report(Run latency, int subscribers, int callsPerSecond, int seconds, List<(int Subscribers, Run Run)> cost)
    {
        var ms = latency.Latencies;
        Console.WriteLine($"event latency, commit acknowledged to the writer -> subscriber received (ms), {subscribers} subscribers, {callsPerSecond} calls/s ({latency.Events} events over {seconds} s):");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| receipts | p50 | p90 | p99 | max | missing | duplicates | out of order | engine CPU |"));
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {ms.Count} | {Percentile(ms, 0.50):F2} | {Percentile(ms, 0.90):F2} | {Percentile(ms, 0.99):F2} | {(ms.Count > 0 ? ms[^1] : 0):F2} | {latency.Missing} | {latency.Duplicates} | {latency.OutOfOrder} | {100 * latency.Cpu.TotalSeconds / latency.Wall.TotalSeconds:F1} % of a core |"));
        Console.WriteLine();
        Console.WriteLine("fan-out cost: engine CPU while the same load streams to n subscribers:");
        Console.WriteLine("| subscribers | events | engine CPU (ms) | CPU per event (µs) | p50 (ms) | p99 (ms) |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (n, run) in cost)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {n} | {run.Events} | {run.Cpu.TotalMilliseconds:F0} | {1000 * run.Cpu.TotalMilliseconds / Math.Max(1, run.Events):F1} | {Percentile(run.Latencies, 0.5):F2} | {Percentile(run.Latencies, 0.99):F2} |"));
        }

        if (cost.Count >= 2)
        {
            var (lowN, low) = cost[0];
            var (highN, high) = cost[^1];
            var perEvent = (high.Cpu.TotalMilliseconds / high.Events) - (low.Cpu.TotalMilliseconds / low.Events);
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"fan-out cost per subscriber per event: {1000 * perEvent / (highN - lowN):F2} µs of engine CPU ((CPU per event at {highN} - at {lowN}) / {highN - lowN})"));
        }

        foreach (var failure in latency.StreamFailures)
        {
            Console.WriteLine($"a stream ended early: {failure}");
        }
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static Process StartEngine(string engineDll, string work, string connectionString, int grpcPort)
    {
        var config = Path.Combine(work, "engine.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new
        {
            Http = new { Listen = $"http://127.0.0.1:{FreeTcpPort()}" },
            Grpc = new { Listen = $"http://127.0.0.1:{grpcPort}" },
            Sip = new { Listen = new[] { $"udp:127.0.0.1:{FreeTcpPort()}" } },
            Media = new { Address = "127.0.0.1" },
            Database = new { ConnectionString = connectionString },
            Data = new { Path = Path.Combine(work, "engine-data") },
            Logging = new { LogLevel = new { Default = "Warning" } },
        }));
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(engineDll);
        start.ArgumentList.Add("run");
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(config);
        var process = Process.Start(start)!;
        var log = new StreamWriter(Path.Combine(work, "engine.log")) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitForPortAsync(int port, Process engine)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (engine.HasExited)
            {
                throw new InvalidOperationException($"the engine exited with {engine.ExitCode} before listening; see engine.log in the working folder (run with --keep)");
            }

            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await probe.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(200).ConfigureAwait(false);
            }
        }

        throw new TimeoutException($"the engine did not listen on gRPC port {port} within 90 s");
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CallTracking.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("CallTracking.sln not found above " + AppContext.BaseDirectory);
    }

    private static int Option(string[] args, string name, int fallback) =>
        OptionText(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static string? OptionText(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private sealed record Run(int Calls, int Events, List<double> Latencies, long Missing, long Duplicates, long OutOfOrder, TimeSpan Cpu, TimeSpan Wall, int WriteFailures, List<string> StreamFailures);
}
