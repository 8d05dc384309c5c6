using CallTracking.Media.Native;
using CallTracking.Media.Transcription;
using Microsoft.Extensions.Logging;

namespace CallTracking.IntegrationTests.Transcription;

/// <summary>What an operator sees when the model or the library is not what it should be.</summary>
[Collection(WhisperCollection.Name)]
public sealed class WhisperErrorTests(WhisperFixture fixture)
{
    [Fact]
    public void A_missing_model_file_is_named_in_the_error()
    {
        var path = fixture.Directory.File("no-such-model.bin");

        var error = Assert.Throws<WhisperModelException>(() => WhisperModel.Load(fixture.Library, path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_ggml_model_is_refused_with_its_name()
    {
        var path = fixture.Directory.File("garbage.bin");
        File.WriteAllText(path, "<html>404 Not Found</html>");

        var error = Assert.Throws<WhisperModelException>(() => WhisperModel.Load(fixture.Library, path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("is not a ggml whisper model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_file_is_refused_with_its_name()
    {
        var path = fixture.Directory.File("empty.bin");
        File.WriteAllBytes(path, []);

        var error = Assert.Throws<WhisperModelException>(() => WhisperModel.Load(fixture.Library, path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("is not a ggml whisper model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_model_is_refused_by_whisper_and_its_reason_reaches_the_message_and_the_log()
    {
        var path = fixture.Directory.File("truncated.bin");
        var whole = File.ReadAllBytes(fixture.ModelPath);
        File.WriteAllBytes(path, whole.AsSpan(0, whole.Length / 2).ToArray());

        var error = Assert.Throws<WhisperModelException>(() => WhisperModel.Load(fixture.Library, path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("is not a ggml whisper model that whisper.cpp 1.9.1 can load", error.Message, StringComparison.Ordinal);
        // whisper.cpp's own reason, through the log callback into ILogger at Error.
        Assert.Contains("not all tensors loaded", error.Message, StringComparison.Ordinal);
        Assert.Contains(fixture.Logger.Entries, entry => entry.Level == LogLevel.Error && entry.Message.Contains("not all tensors loaded", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_library_names_the_set_up_script_and_the_config_key()
    {
        var path = fixture.Directory.File("libwhisper.so.1");

        var error = Assert.Throws<NativeLibraryMissingException>(() => WhisperLibrary.Load(path, new CapturingLogger()));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("engine/native/build-whisper", error.Message, StringComparison.Ordinal);
        Assert.Contains("Transcription:LibraryPath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_library_found_in_the_cache_names_the_set_up_script()
    {
        // A folder outside the repository: tests/run keeps the test output under .artifacts/, above which the cache is.
        var outside = Directory.CreateTempSubdirectory("calltracking-no-whisper-");
        try
        {
            Assert.Null(WhisperLibrary.FindInCache(outside.FullName));
        }
        finally
        {
            outside.Delete(recursive: true);
        }

        var error = Assert.Throws<NativeLibraryMissingException>(() => WhisperLibrary.Load(null, new CapturingLogger()));

        Assert.Contains("engine/native/build-whisper", error.Message, StringComparison.Ordinal);
        Assert.Contains(WhisperLibrary.CacheRelativePath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_library_says_it_does_not_load()
    {
        var path = fixture.Directory.File("not-a-library.so");
        File.WriteAllText(path, "not ELF");

        var error = Assert.Throws<NativeLibraryMissingException>(() => WhisperLibrary.Load(path, new CapturingLogger()));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("does not load", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loading_the_model_logs_whisper_detail_through_the_logger_at_debug()
    {
        Assert.Contains(fixture.Logger.Entries, entry => entry.Level == LogLevel.Debug && entry.Message.Contains("n_vocab", StringComparison.Ordinal));
    }
}
