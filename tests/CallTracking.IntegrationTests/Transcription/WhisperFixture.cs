using CallTracking.IntegrationTests.Infrastructure;
using CallTracking.Media.Transcription;

namespace CallTracking.IntegrationTests.Transcription;

/// <summary>
/// libwhisper loaded once for every transcription test (its log hook is process-wide), and
/// a tiny generated model. The library is the one engine/native/build-whisper built into
/// .artifacts/native/ (tests/run runs the script before building).
/// </summary>
public sealed class WhisperFixture : IDisposable
{
    public WhisperFixture()
    {
        var libraryPath = WhisperLibrary.FindInCache(AppContext.BaseDirectory)
            ?? throw new InvalidOperationException(
                $"libwhisper is not built: run engine/native/build-whisper (tests/run does) to make {WhisperLibrary.CacheRelativePath}");
        Library = WhisperLibrary.Load(libraryPath, Logger);
        Directory = TestDirectory.Create("whisper");
        ModelPath = Directory.File("ggml-tiny-random.bin");
        TinyWhisperModel.WriteFile(ModelPath);
        Model = WhisperModel.Load(Library, ModelPath);
    }

    public CapturingLogger Logger { get; } = new();

    public WhisperLibrary Library { get; }

    public TestDirectory Directory { get; }

    public string ModelPath { get; }

    public WhisperModel Model { get; }

    /// <summary>The cache folder's whisper.cpp source (whisper.h for the layout test).</summary>
    public string SourceDirectory =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Library.LibraryPath)!, "..", "src", "whisper.cpp"));

    public void Dispose()
    {
        Model.Dispose();
        Library.Dispose();
        // The folder (with its log) is kept like every test's; the model is 1.7 MB of noise.
        File.Delete(ModelPath);
    }
}
