using CallTracking.Engine.Hosting;
using CallTracking.Media.Native;
using CallTracking.Media.Transcription;

namespace CallTracking.Engine.Transcription;

/// <summary>
/// Loads libwhisper and the Whisper model at start-up when <c>Transcription:Model</c> is set,
/// so a missing library or a bad model stops the engine with a message saying what to do,
/// before any call is taken; without a model, says once that transcription is off.
/// Holds the loaded <see cref="Model"/> for the transcription workers.
/// </summary>
public sealed partial class TranscriptionService(IConfiguration configuration, ILoggerFactory loggerFactory) : IHostedService, IDisposable
{
    /// <summary>A ggml Whisper model file (ggml-base.en.bin, …); empty: transcription off. Relative to the working directory.</summary>
    public const string ModelKey = "Transcription:Model";

    /// <summary>An operator's own libwhisper.so.1 (whisper.cpp 1.9.1) instead of the one engine/native/build-whisper builds.</summary>
    public const string LibraryPathKey = "Transcription:LibraryPath";

    private readonly ILogger _logger = loggerFactory.CreateLogger<TranscriptionService>();
    private WhisperLibrary? _library;

    /// <summary>The loaded model, or null when transcription is off.</summary>
    public WhisperModel? Model { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var modelPath = configuration[ModelKey];
        if (string.IsNullOrWhiteSpace(modelPath))
        {
            LogTranscriptionOff(_logger, ModelKey);
            return Task.CompletedTask;
        }

        var configuredLibrary = configuration[LibraryPathKey];
        var libraryPath = string.IsNullOrWhiteSpace(configuredLibrary) ? WhisperLibrary.FindInCache(AppContext.BaseDirectory) : configuredLibrary;
        try
        {
            _library = WhisperLibrary.Load(libraryPath, loggerFactory.CreateLogger("CallTracking.Media.Transcription.Whisper"));
        }
        catch (NativeLibraryMissingException e)
        {
            throw new StartupException($"{ModelKey} is set, so transcription needs libwhisper: {e.Message}", e);
        }

        try
        {
            Model = WhisperModel.Load(_library, modelPath);
        }
        catch (WhisperModelException e)
        {
            throw new StartupException(
                $"{ModelKey}: {e.Message}. Download a model with `calltracking models download base.en` (see `calltracking models list`), or leave {ModelKey} empty to run without transcription",
                e);
        }

        LogTranscriptionOn(_logger, Model.Path, Model.IsMultilingual ? "multilingual" : "English-only", _library.NativeVersion, _library.LibraryPath);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        Model?.Dispose();
        Model = null;
        _library?.Dispose();
        _library = null;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Transcription is off: no {Key} configured (calls are recorded, not transcribed)")]
    private static partial void LogTranscriptionOff(ILogger logger, string key);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Transcription on: model {Model} ({Kind}), whisper.cpp {Version} from {Library}")]
    private static partial void LogTranscriptionOn(ILogger logger, string model, string kind, string version, string library);
}
