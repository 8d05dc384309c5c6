using System.Buffers.Binary;
using System.Text;

namespace CallTracking.Media.Transcription;

/// <summary>
/// A ggml Whisper model loaded into memory (a <c>whisper_context</c> without a state).
/// Thread-safe: each <see cref="WhisperTranscriber"/> made from it has its own state, so
/// several transcribe at once while the weights are in memory once.
/// </summary>
public sealed unsafe class WhisperModel : IDisposable
{
    /// <summary>The first four bytes of every ggml model file, little-endian ("lmgg").</summary>
    public const uint GgmlMagic = 0x67676d6c;

    private readonly WhisperLibrary _library;
    private readonly WhisperContextHandle _context;

    private WhisperModel(WhisperLibrary library, string path, WhisperContextHandle context)
    {
        _library = library;
        Path = path;
        _context = context;
        IsMultilingual = WhisperNative.whisper_is_multilingual(context) != 0;
        EndOfText = WhisperNative.whisper_token_eot(context);
    }

    /// <summary>The model file.</summary>
    public string Path { get; }

    /// <summary>False for the English-only models (*.en).</summary>
    public bool IsMultilingual { get; }

    internal WhisperLibrary Library => _library;

    internal WhisperContextHandle Context => _context;

    // Token ids below end-of-text are text; from it on they are special or timestamps.
    internal int EndOfText { get; }

    /// <summary>Loads a ggml model file (the format of whisper.cpp's ggml-*.bin models).</summary>
    /// <exception cref="WhisperModelException">The file does not exist, or it is not a model whisper.cpp can load.</exception>
    public static WhisperModel Load(WhisperLibrary library, string modelPath)
    {
        ArgumentNullException.ThrowIfNull(library);
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        library.ThrowIfDisposed();
        var fullPath = System.IO.Path.GetFullPath(modelPath);
        CheckFile(fullPath);

        var contextParams = WhisperNative.whisper_context_default_params();
        // The library is built for the CPU (no GPU back end); asking for none keeps it from looking.
        contextParams.UseGpu = 0;
        var pathBytes = Encoding.UTF8.GetBytes(fullPath + "\0");
        nint context;
        library.TakeErrors();
        fixed (byte* path = pathBytes)
        {
            context = WhisperNative.whisper_init_from_file_with_params_no_state(path, contextParams);
        }

        if (context == 0)
        {
            var reason = library.TakeErrors();
            throw new WhisperModelException(
                $"Whisper model file {fullPath} is not a ggml whisper model that whisper.cpp {WhisperLibrary.Version} can load (truncated or damaged?)"
                + (reason is null ? "" : $": {reason}"));
        }

        return new WhisperModel(library, fullPath, new WhisperContextHandle(context));
    }

    /// <summary>A transcriber with its own working memory (tens of MB for small models); use it from one thread at a time.</summary>
    public WhisperTranscriber CreateTranscriber()
    {
        ObjectDisposedException.ThrowIf(_context.IsClosed, this);
        return new WhisperTranscriber(this);
    }

    public void Dispose() => _context.Dispose();

    // whisper.cpp reports a missing file and a foreign one the same way (NULL); telling
    // them apart here gives the operator the right next step.
    private static void CheckFile(string path)
    {
        Span<byte> magic = stackalloc byte[4];
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
            if (stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false) < magic.Length
                || BinaryPrimitives.ReadUInt32LittleEndian(magic) != GgmlMagic)
            {
                throw new WhisperModelException(
                    $"Whisper model file {path} is not a ggml whisper model (it does not start with the ggml magic 0x{GgmlMagic:x8}): use a ggml-*.bin model of whisper.cpp");
            }
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new WhisperModelException($"Whisper model file {path} does not exist", exception);
        }
        catch (UnauthorizedAccessException exception)
        {
            throw new WhisperModelException($"Whisper model file {path} cannot be read: {exception.Message}", exception);
        }
    }
}
