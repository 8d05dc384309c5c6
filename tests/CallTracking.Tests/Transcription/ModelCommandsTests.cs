using System.Security.Cryptography;
using CallTracking.Engine.Cli;
using CallTracking.Engine.Transcription;
using CallTracking.Tests.Configuration;

namespace CallTracking.Tests.Transcription;

/// <summary><c>calltracking models …</c> in-process; the model host is a local server or a refused port.</summary>
public sealed class ModelCommandsTests : IDisposable
{
    private readonly TempConfigFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void List_shows_every_published_model_with_its_sha1_and_marks_files_present()
    {
        Directory.CreateDirectory(Path.Combine(_folder.Path, "models"));
        File.WriteAllBytes(Path.Combine(_folder.Path, "models", "ggml-base.en.bin"), [1]);

        var (code, output, _) = Run("models", "list");

        Assert.Equal(0, code);
        Assert.Equal(16, PublishedModels.All.Count);
        foreach (var model in PublishedModels.All)
        {
            Assert.Contains(model.Sha1, output, StringComparison.Ordinal);
        }

        Assert.Contains("137c40403d78fd54d454da0f9bd998f78703390c  downloaded", output, StringComparison.Ordinal);
        Assert.DoesNotContain("bd577a113a864445d4c299885e0cb97d4ba92b5f  downloaded", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Offline_download_exits_69_and_says_where_to_put_the_file()
    {
        var unreachable = $"http://127.0.0.1:{LocalFileServer.FreePort()}";

        var (code, output, error) = Run("models", "download", "base.en", "--from", unreachable);

        var target = Path.Combine(_folder.Path, "models", "ggml-base.en.bin");
        Assert.Equal(CliExitCodes.StartFailed, code);
        Assert.Equal("", output);
        Assert.Contains($"cannot download {unreachable}/ggml-base.en.bin", error, StringComparison.Ordinal);
        Assert.Contains($"copy the file to {target}", error, StringComparison.Ordinal);
        Assert.Contains($"models verify {target}", error, StringComparison.Ordinal);
        Assert.Contains($"Transcription:Model={target}", error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(_folder.Path, "models")));
    }

    [Fact]
    public void A_download_with_the_wrong_checksum_exits_65_and_keeps_nothing()
    {
        using var server = new LocalFileServer([0x6c, 0x6d, 0x67, 0x67, 1, 2, 3]);

        var (code, output, error) = Run("models", "download", "tiny.en", "--dir", "m", "--from", server.BaseAddress);

        Assert.Equal(CliExitCodes.DataError, code);
        Assert.Equal("", output);
        Assert.Equal(["/ggml-tiny.en.bin"], server.Requested);
        Assert.Contains("c78c86eb1a8faa21b369bcd33207cc90d64ae9df", error, StringComparison.Ordinal);
        Assert.Contains("nothing was kept", error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(_folder.Path, "m")));
    }

    [Fact]
    public async Task A_download_with_the_published_checksum_is_kept_under_its_name_with_progress_reported()
    {
        var content = RandomNumberGenerator.GetBytes(300_000);
#pragma warning disable CA5350 // the checksum whisper.cpp publishes is SHA-1
        var model = new PublishedModel("test", "1 MiB", Convert.ToHexStringLower(SHA1.HashData(content)));
#pragma warning restore CA5350
        using var server = new LocalFileServer(content);
        using var http = new HttpClient();
        var reports = new List<(long Received, long? Total)>();

        var path = await ModelFiles.DownloadAsync(http, model, server.BaseAddress, _folder.Path, new SynchronousProgress(reports), CancellationToken.None);

        Assert.Equal(Path.Combine(_folder.Path, "ggml-test.bin"), path);
        Assert.Equal(content, await File.ReadAllBytesAsync(path));
        Assert.Equal([path], Directory.GetFiles(_folder.Path));
        Assert.Equal((content.Length, content.Length), reports[^1]);
        Assert.True(reports.Count > 1);
    }

    [Fact]
    public void An_unknown_model_name_is_a_usage_error()
    {
        var (code, _, error) = Run("models", "download", "enormous");

        Assert.Equal(CliExitCodes.Usage, code);
        Assert.Contains("models list", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_refuses_a_file_that_is_not_ggml()
    {
        var file = _folder.Write("ggml-base.bin", "<html>rate limited</html>");

        var (code, _, error) = Run("models", "verify", file);

        Assert.Equal(CliExitCodes.DataError, code);
        Assert.Contains("is not a ggml model", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_calls_a_published_name_with_another_checksum_damaged()
    {
        var file = Path.Combine(_folder.Path, "ggml-base.bin");
        File.WriteAllBytes(file, [0x6c, 0x6d, 0x67, 0x67, 0, 0, 0]);

        var (code, _, error) = Run("models", "verify", "ggml-base.bin");

        Assert.Equal(CliExitCodes.DataError, code);
        Assert.Contains("465707469ff3a37a2b9b8d8f89f2f99de7299dac", error, StringComparison.Ordinal);
        Assert.Contains("damaged or incomplete", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_says_when_a_ggml_file_is_none_of_the_published_models()
    {
        var file = Path.Combine(_folder.Path, "mine.bin");
        File.WriteAllBytes(file, [0x6c, 0x6d, 0x67, 0x67, 9]);

        var (code, _, error) = Run("models", "verify", file);

        Assert.Equal(CliExitCodes.DataError, code);
        Assert.Contains("none of whisper.cpp's published models", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_of_a_missing_file_names_it()
    {
        var (code, _, error) = Run("models", "verify", "nowhere.bin");

        Assert.Equal(CliExitCodes.DataError, code);
        Assert.Contains(Path.Combine(_folder.Path, "nowhere.bin") + " does not exist", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("base.en")]
    [InlineData("BASE.EN")]
    [InlineData("ggml-base.en.bin")]
    public void Published_models_are_found_by_name_or_file_name(string name) =>
        Assert.Equal("137c40403d78fd54d454da0f9bd998f78703390c", PublishedModels.Find(name)?.Sha1);

    private (int Code, string Out, string Err) Run(params string[] args)
    {
        var app = new CliApp(new CliEnvironment(_folder.Path, _folder.Path, new Dictionary<string, string?>()), (_, _, _) => Task.FromResult(0));
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = app.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private sealed class SynchronousProgress(List<(long Received, long? Total)> reports) : IProgress<(long Received, long? Total)>
    {
        public void Report((long Received, long? Total) value) => reports.Add(value);
    }
}
