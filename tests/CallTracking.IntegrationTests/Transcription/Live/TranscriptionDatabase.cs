using CallTracking.Engine.Storage;
using CallTracking.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CallTracking.IntegrationTests.Transcription.Live;

/// <summary>Steps the live and job-signal tests share: a migrated database with the tiny model, queued jobs, a worker process, queries.</summary>
internal static class TranscriptionDatabase
{
    public static readonly string[] Fast = ["--Transcription:TemperatureIncrement=0", "--Transcription:Language=en", "--Transcription:Threads=2"];

    public static async Task<(string Database, string Model)> PrepareAsync(PostgresServer server, TestDirectory directory)
    {
        var model = directory.File("ggml-tiny-random.bin");
        TinyWhisperModel.WriteFile(model);
        var database = await server.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(database);
        await new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance).ApplyAsync(CancellationToken.None);
        return (database, model);
    }

    /// <summary>A call with a recording at <paramref name="path"/>, queued as the engine queues it.</summary>
    public static async Task<(Guid Call, Guid Recording)> QueueAsync(NpgsqlDataSource dataSource, string path)
    {
        var organisation = (Guid)(await RowAsync(dataSource, "INSERT INTO organisations (name) VALUES ('Acme') RETURNING id"))[0]!;
        var call = (Guid)(await RowAsync(dataSource, "INSERT INTO calls (organisation_id, tracking_number, sip_call_id, started_at) VALUES ($1, '+15551230001', 'sip-1', now()) RETURNING id", organisation))[0]!;
        var store = new CallRecordStore(dataSource) { EnqueueTranscription = true };
        var recording = await store.AddRecordingAsync(new RecordingReady(call, organisation) { Path = path, Codec = "opus", Channels = 2 }, CancellationToken.None);
        return (call, recording);
    }

    /// <summary><c>calltracking run --role worker</c> on <paramref name="database"/>, started (its start-up line logged).</summary>
    public static async Task<CapturedProcess> StartWorkerAsync(TestDirectory directory, string name, string database, string model, params string[] arguments)
    {
        var configPath = directory.File($"{name}.json");
        await File.WriteAllTextAsync(configPath, System.Text.Json.JsonSerializer.Serialize(EngineConfigs.Standard(FreePorts.Next())));
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h : "dotnet";
        string[] all =
        [
            Path.Combine(AppContext.BaseDirectory, "calltracking.dll"), "run", "--role", "worker", "--config", configPath,
            $"--Data:Path={directory.SubDirectory(name)}", $"--Database:ConnectionString={database}", $"--Transcription:Model={model}",
            "--Transcription:LeaseSeconds=3", .. Fast, .. arguments,
        ];
        var worker = CapturedProcess.Start(host, all, directory.Path, directory.File($"{name}.log"));
        try
        {
            await WaitForLogAsync(worker, "CallTracking transcription worker started", TimeSpan.FromSeconds(45));
            return worker;
        }
        catch
        {
            worker.Kill();
            worker.Dispose();
            throw;
        }
    }

    public static async Task StopAsync(CapturedProcess worker)
    {
        await worker.SignalAsync("TERM");
        if (!await worker.WaitForExitAsync(TimeSpan.FromSeconds(10)))
        {
            worker.Kill();
        }
    }

    public static async Task WaitForLogAsync(CapturedProcess process, string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!process.Output.Contains(text, StringComparison.Ordinal))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no '{text}' in the log{Environment.NewLine}{process.Tail(40)}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Polls <paramref name="sql"/> until it returns a row (its first value), or fails with the log's tail.</summary>
    public static async Task<object> WaitForAsync(NpgsqlDataSource dataSource, string sql, TimeSpan timeout, Func<int, string> log, params object[] values)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var rows = await RowsAsync(dataSource, sql, values);
            if (rows.Count > 0)
            {
                return rows[0][0]!;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"nothing from {sql} after {timeout}{Environment.NewLine}{log(40)}");
            }

            await Task.Delay(50);
        }
    }

    public static async Task<object?[]> RowAsync(NpgsqlDataSource dataSource, string sql, params object[] values) =>
        Assert.Single(await RowsAsync(dataSource, sql, values));

    public static async Task<List<object?[]>> RowsAsync(NpgsqlDataSource dataSource, string sql, params object[] values)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new() { Value = value });
        }

        var rows = new List<object?[]>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }
}
