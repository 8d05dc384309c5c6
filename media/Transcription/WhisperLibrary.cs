using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CallTracking.Media.Native;
using Microsoft.Extensions.Logging;

namespace CallTracking.Media.Transcription;

/// <summary>
/// libwhisper loaded from a known file, with its log routed to an <see cref="ILogger"/>.
/// Create one per process (the composition root does), before any <see cref="WhisperModel"/>.
/// </summary>
/// <remarks>
/// Both things this type sets up are process-wide by nature, not by our choice: the
/// runtime binds each <c>[LibraryImport]</c> once for the life of the process, and
/// whisper.cpp keeps one log callback in a global (<c>whisper_log_set</c>, which also sets
/// ggml's). So the log callback is a static method (immutable code, no managed static
/// state) and finds its logger through the <c>user_data</c> pointer whisper.cpp hands back:
/// a GCHandle to this instance, freed on <see cref="Dispose"/> after the callback is
/// switched to a silent one.
/// </remarks>
public sealed unsafe partial class WhisperLibrary : IDisposable
{
    /// <summary>The whisper.cpp version whose whisper.h this binding matches.</summary>
    public const string Version = "1.9.1";

    /// <summary>Where engine/native/build-whisper puts the library, relative to the repository.</summary>
    public const string CacheRelativePath = ".artifacts/native/whisper-" + Version + "/lib/libwhisper.so.1";

    private const int MaxErrorsKept = 4;

    private readonly ILogger _logger;
    private readonly Lock _errorsLock = new();
    private readonly Queue<string> _errors = new();
    private GCHandle _self;
    private int _disposed;

    private WhisperLibrary(string libraryPath, string nativeVersion, ILogger logger)
    {
        LibraryPath = libraryPath;
        NativeVersion = nativeVersion;
        _logger = logger;
        _self = GCHandle.Alloc(this);
        WhisperNative.whisper_log_set(&OnNativeLog, GCHandle.ToIntPtr(_self));
    }

    /// <summary>The file that was loaded.</summary>
    public string LibraryPath { get; }

    /// <summary>What the library says its version is (<c>whisper_version()</c>).</summary>
    public string NativeVersion { get; }

    /// <summary>
    /// Walks up from <paramref name="startDirectory"/> (e.g. the application's folder, which
    /// is under the repository's .artifacts/bin) looking for <see cref="CacheRelativePath"/>.
    /// </summary>
    /// <returns>The full path of the built library, or null when no parent folder has one.</returns>
    public static string? FindInCache(string startDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(startDirectory);
        for (var directory = new DirectoryInfo(startDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, CacheRelativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Loads libwhisper from <paramref name="libraryPath"/> and routes its log to <paramref name="logger"/>.</summary>
    /// <exception cref="NativeLibraryMissingException">
    /// The file does not exist or does not load, is another version than <see cref="Version"/>, or another libwhisper is
    /// already bound in this process; the message says what to do.
    /// </exception>
    public static WhisperLibrary Load(string? libraryPath, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        var info = NativeLibraries.Whisper;
        if (string.IsNullOrEmpty(libraryPath) || !File.Exists(libraryPath))
        {
            var where = string.IsNullOrEmpty(libraryPath) ? $"no {CacheRelativePath} was found" : $"{libraryPath} does not exist";
            throw new NativeLibraryMissingException($"{info.MissingMessage} ({where})");
        }

        var fullPath = Path.GetFullPath(libraryPath);
        nint handle;
        try
        {
            handle = NativeLibrary.Load(fullPath);
        }
        catch (DllNotFoundException exception)
        {
            // dlopen's reason names a missing dependency (libggml*.so belong next to libwhisper).
            throw new NativeLibraryMissingException($"{fullPath} does not load ({exception.Message}): {info.Remedy}", exception);
        }

        NativeLibraries.EnsureResolverRegistered();
        if (!NativeLibraries.TryLoad(info, null, out var bound) || bound != handle)
        {
            throw new NativeLibraryMissingException(
                $"{fullPath} loaded, but the binding resolves libwhisper.so.1 to another library: its soname must be libwhisper.so.1 and only one libwhisper can be used per process");
        }

        string version;
        try
        {
            version = Marshal.PtrToStringUTF8(WhisperNative.whisper_version()) ?? "";
        }
        catch (EntryPointNotFoundException exception)
        {
            throw new NativeLibraryMissingException($"{fullPath} is not libwhisper (no whisper_version): {info.Remedy}", exception);
        }

        // The structs passed by value change between releases: a mismatch would corrupt memory, not fail.
        if (!string.Equals(version, Version, StringComparison.Ordinal))
        {
            throw new NativeLibraryMissingException(
                $"{fullPath} is whisper.cpp {version}, but this build binds whisper.cpp {Version} (its structs differ between versions): {info.Remedy}");
        }

        return new WhisperLibrary(fullPath, version, logger);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        WhisperNative.whisper_log_set(&OnSilentLog, 0);
        _self.Free();
    }

    /// <summary>
    /// The errors whisper.cpp logged since the previous call (the last few, joined), to put
    /// into an exception message: whisper.cpp returns only NULL or a number, and says why in its log.
    /// </summary>
    internal string? TakeErrors()
    {
        lock (_errorsLock)
        {
            var errors = _errors.Count == 0 ? null : string.Join("; ", _errors);
            _errors.Clear();
            return errors;
        }
    }

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private void OnLog(int level, string text)
    {
        switch (level)
        {
            case WhisperNative.LogLevelError:
                lock (_errorsLock)
                {
                    if (_errors.Count == MaxErrorsKept)
                    {
                        _errors.Dequeue();
                    }

                    _errors.Enqueue(text);
                }

                LogNativeError(_logger, text);
                break;
            case WhisperNative.LogLevelWarn:
                LogNativeWarning(_logger, text);
                break;
            default:
                // whisper.cpp's INFO lines are model dimensions and buffer sizes, printed on
                // every load: detail for someone debugging, not for the operator's log.
                LogNativeDetail(_logger, text);
                break;
        }
    }

    // Called on whichever thread whisper.cpp or ggml logs from (whisper_full's workers too).
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnNativeLog(int level, byte* text, nint userData)
    {
        if (userData == 0 || text is null)
        {
            return;
        }

        try
        {
            if (GCHandle.FromIntPtr(userData).Target is WhisperLibrary library)
            {
                var message = Marshal.PtrToStringUTF8((nint)text)?.TrimEnd('\n', '\r');
                if (!string.IsNullOrEmpty(message))
                {
                    library.OnLog(level, message);
                }
            }
        }
#pragma warning disable CA1031 // An exception must not unwind into native code: that would abort the process.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnSilentLog(int level, byte* text, nint userData)
    {
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "whisper.cpp: {Text}")]
    private static partial void LogNativeError(ILogger logger, string text);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "whisper.cpp: {Text}")]
    private static partial void LogNativeWarning(ILogger logger, string text);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "whisper.cpp: {Text}")]
    private static partial void LogNativeDetail(ILogger logger, string text);
}
