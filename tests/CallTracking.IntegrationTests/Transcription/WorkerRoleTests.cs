using CallTracking.IntegrationTests.Infrastructure;

namespace CallTracking.IntegrationTests.Transcription;

/// <summary><c>calltracking run --role worker</c> refuses to start without what it needs, saying what that is.</summary>
public sealed class WorkerRoleTests
{
    [Fact]
    public async Task The_worker_role_without_a_model_exits_78_naming_the_key()
    {
        var directory = TestDirectory.Create();
        var config = await ConfigAsync(directory);

        var run = await EngineCli.RunAsync(directory, "Host=127.0.0.1;Database=none", "run", "--role", "worker", "--config", config);

        Assert.Equal(78, run.Code);
        Assert.Contains("Transcription:Model: the worker role transcribes, so it needs a model file", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_worker_role_without_a_database_connection_string_exits_78_instead_of_starting_a_database_of_its_own()
    {
        var directory = TestDirectory.Create();
        var config = await ConfigAsync(directory);

        var run = await EngineCli.RunAsync(directory, null, "run", "--role", "worker", "--config", config, "--Transcription:Model=/nonexistent/model.bin");

        Assert.Equal(78, run.Code);
        Assert.Contains("Database:ConnectionString: the worker role works on the engine's database", run.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(directory.Path, "data", "pg")));
    }

    [Fact]
    public async Task An_unknown_role_is_a_usage_error()
    {
        var directory = TestDirectory.Create();

        var run = await EngineCli.RunAsync(directory, null, "run", "--role", "dashboard");

        Assert.Equal(2, run.Code);
        Assert.Contains("dashboard", run.Err, StringComparison.Ordinal);
    }

    private static async Task<string> ConfigAsync(TestDirectory directory)
    {
        var path = directory.File("engine.json");
        await File.WriteAllTextAsync(path, System.Text.Json.JsonSerializer.Serialize(EngineConfigs.Standard(FreePorts.Next())));
        return path;
    }
}
