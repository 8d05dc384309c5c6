using System.Runtime.InteropServices;
using CallTracking.Media.Native;

namespace CallTracking.Media.Transcription;

/// <summary>
/// libwhisper (whisper.cpp 1.9.1) entry points; include/whisper.h. The state-based
/// calls (<c>*_with_state</c>, <c>*_from_state</c>) let one loaded model serve several
/// transcribers at once: whisper.h says a context is thread-safe as long as one
/// state is not used by two threads.
/// </summary>
internal static unsafe partial class WhisperNative
{
    // whisper.h: enum whisper_sampling_strategy.
    internal const int SamplingGreedy = 0;

    // ggml.h: enum ggml_log_level.
    internal const int LogLevelDebug = 1;
    internal const int LogLevelInfo = 2;
    internal const int LogLevelWarn = 3;
    internal const int LogLevelError = 4;
    internal const int LogLevelCont = 5;

    [LibraryImport(NativeLibraries.WhisperName)]
    internal static partial nint whisper_version();

    [LibraryImport(NativeLibraries.WhisperName)]
    internal static partial WhisperContextParams whisper_context_default_params();

    [LibraryImport(NativeLibraries.WhisperName)]
    internal static partial nint whisper_init_from_file_with_params_no_state(byte* pathModel, WhisperContextParams contextParams);

    [LibraryImport(NativeLibraries.WhisperName)]
    internal static partial void whisper_free(nint ctx);

    [LibraryImport(NativeLibraries.WhisperName)]
    internal static partial nint whisper_init_state(WhisperContextHandle ctx);

    [LibraryImport(NativeLibraries.WhisperName)]
    internal static partial void whisper_free_state(nint state);

    // Allocates; the copy is freed with whisper_free_params.
    [LibraryImport(NativeLibraries.WhisperName)]
    internal static partial WhisperFullParams* whisper_full_default_params_by_ref(int strategy);

    [LibraryImport(NativeLibraries.WhisperName)]
    internal static partial void whisper_free_params(WhisperFullParams* fullParams);

    // The params struct is passed by value (304 bytes in 1.9.1: in memory on the stack
    // on x86-64 SysV, by hidden reference on AArch64), so its size must be exact.
    [LibraryImport(NativeLibraries.WhisperName)]
    internal static partial int whisper_full_with_state(WhisperContextHandle ctx, WhisperStateHandle state, WhisperFullParams fullParams, float* samples, int nSamples);

    [LibraryImport(NativeLibraries.WhisperName)]
    internal static partial int whisper_full_n_segments_from_state(WhisperStateHandle state);

    [LibraryImport(NativeLibraries.WhisperName)]
    internal static partial int whisper_full_lang_id_from_state(WhisperStateHandle state);

    // Times are in units of 10 ms.
    [LibraryImport(NativeLibraries.WhisperName)]
    internal static partial long whisper_full_get_segment_t0_from_state(WhisperStateHandle state, int segment);

    [LibraryImport(NativeLibraries.WhisperName)]
    internal static partial long whisper_full_get_segment_t1_from_state(WhisperStateHandle state, int segment);

    // Owned by the state; valid until the next whisper_full on it.
    [LibraryImport(NativeLibraries.WhisperName)]
    internal static partial nint whisper_full_get_segment_text_from_state(WhisperStateHandle state, int segment);

    [LibraryImport(NativeLibraries.WhisperName)]
    internal static partial int whisper_full_n_tokens_from_state(WhisperStateHandle state, int segment);

    [LibraryImport(NativeLibraries.WhisperName)]
    internal static partial WhisperTokenData whisper_full_get_token_data_from_state(WhisperStateHandle state, int segment, int token);

    [LibraryImport(NativeLibraries.WhisperName)]
    internal static partial int whisper_token_eot(WhisperContextHandle ctx);

    [LibraryImport(NativeLibraries.WhisperName)]
    internal static partial int whisper_is_multilingual(WhisperContextHandle ctx);

    [LibraryImport(NativeLibraries.WhisperName)]
    internal static partial int whisper_lang_id(byte* lang);

    // A static string owned by libwhisper, or null for an unknown id.
    [LibraryImport(NativeLibraries.WhisperName)]
    internal static partial nint whisper_lang_str(int id);

    // Process-wide in libwhisper (and forwarded to ggml_log_set): the last call wins.
    [LibraryImport(NativeLibraries.WhisperName)]
    internal static partial void whisper_log_set(delegate* unmanaged[Cdecl]<int, byte*, nint, void> logCallback, nint userData);
}
