using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace CallTracking.Media.Transcription;

/// <summary>
/// Transcribes 16 kHz mono audio with a <see cref="WhisperModel"/>. Owns one
/// <c>whisper_state</c>: one call at a time (a second concurrent call throws); make one
/// transcriber per worker.
/// </summary>
public sealed unsafe class WhisperTranscriber : IDisposable
{
    /// <summary>The sample rate whisper.cpp expects (WHISPER_SAMPLE_RATE).</summary>
    public const int SampleRate = 16000;

    private static readonly byte[] AutoLanguage = "auto\0"u8.ToArray();

    private readonly WhisperModel _model;
    private readonly WhisperStateHandle _state;
    private int _busy;

    internal WhisperTranscriber(WhisperModel model)
    {
        _model = model;
        var context = model.Context;
        var added = false;
        context.DangerousAddRef(ref added);
        var state = WhisperNative.whisper_init_state(context);
        if (state == 0)
        {
            context.DangerousRelease();
            throw new WhisperException($"whisper.cpp could not allocate a state for {model.Path}: {model.Library.TakeErrors() ?? "out of memory?"}");
        }

        _state = new WhisperStateHandle(state, context);
    }

    /// <summary>Transcribes <paramref name="pcm16k"/> (mono float samples in [-1, 1] at 16 kHz).</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; whisper.cpp stops at its next step.</exception>
    /// <exception cref="WhisperException">whisper.cpp failed.</exception>
    /// <exception cref="ArgumentException">The language is not one whisper.cpp knows.</exception>
    public WhisperTranscript Transcribe(ReadOnlySpan<float> pcm16k, WhisperOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ObjectDisposedException.ThrowIf(_state.IsClosed, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            throw new InvalidOperationException("A WhisperTranscriber transcribes one audio at a time: use one per worker.");
        }

        try
        {
            if (pcm16k.IsEmpty)
            {
                return new WhisperTranscript([], null);
            }

            var language = LanguageBytes(options.Language);
            var prompt = options.InitialPrompt is null ? null : Encoding.UTF8.GetBytes(options.InitialPrompt + "\0");
            var cancellation = cancellationToken.CanBeCanceled ? GCHandle.Alloc(cancellationToken) : default;
            int result;
            try
            {
                fixed (byte* languagePointer = language)
                fixed (byte* promptPointer = prompt)
                fixed (float* samples = pcm16k)
                {
                    var fullParams = DefaultParams();
                    fullParams.WriteInt32(WhisperFullParams.NThreadsOffset, Math.Max(1, options.Threads));
                    fullParams.WriteBool(WhisperFullParams.TranslateOffset, options.Translate);
                    // whisper.cpp prints to stdout by default; the log callback does not see those.
                    fullParams.WriteBool(WhisperFullParams.PrintSpecialOffset, false);
                    fullParams.WriteBool(WhisperFullParams.PrintProgressOffset, false);
                    fullParams.WriteBool(WhisperFullParams.PrintRealtimeOffset, false);
                    fullParams.WriteBool(WhisperFullParams.PrintTimestampsOffset, false);
                    fullParams.WritePointer(WhisperFullParams.LanguageOffset, (nint)languagePointer);
                    // detect_language=true would detect and stop without transcribing; "auto" detects and transcribes.
                    fullParams.WriteBool(WhisperFullParams.DetectLanguageOffset, false);
                    fullParams.WritePointer(WhisperFullParams.InitialPromptOffset, (nint)promptPointer);
                    fullParams.WriteSingle(WhisperFullParams.TemperatureOffset, options.Temperature);
                    fullParams.WriteSingle(WhisperFullParams.TemperatureIncOffset, options.TemperatureIncrement);
                    if (cancellation.IsAllocated)
                    {
                        delegate* unmanaged[Cdecl]<nint, byte> abort = &ShouldAbort;
                        fullParams.WritePointer(WhisperFullParams.AbortCallbackOffset, (nint)abort);
                        fullParams.WritePointer(WhisperFullParams.AbortCallbackUserDataOffset, GCHandle.ToIntPtr(cancellation));
                    }

                    _model.Library.TakeErrors();
                    result = WhisperNative.whisper_full_with_state(_model.Context, _state, fullParams, samples, pcm16k.Length);
                }
            }
            finally
            {
                if (cancellation.IsAllocated)
                {
                    cancellation.Free();
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (result != 0)
            {
                throw new WhisperException($"whisper.cpp failed to transcribe ({result}): {_model.Library.TakeErrors() ?? "no reason logged"}");
            }

            return ReadResult(pcm16k.Length * 1000L / SampleRate);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    public void Dispose() => _state.Dispose();

    private static WhisperFullParams DefaultParams()
    {
        var defaults = WhisperNative.whisper_full_default_params_by_ref(WhisperNative.SamplingGreedy);
        if (defaults is null)
        {
            throw new OutOfMemoryException("whisper_full_default_params_by_ref returned NULL");
        }

        try
        {
            return *defaults;
        }
        finally
        {
            WhisperNative.whisper_free_params(defaults);
        }
    }

    private static byte[] LanguageBytes(string? language)
    {
        if (string.IsNullOrEmpty(language) || string.Equals(language, "auto", StringComparison.OrdinalIgnoreCase))
        {
            return AutoLanguage;
        }

        var bytes = Encoding.UTF8.GetBytes(language + "\0");
        fixed (byte* pointer = bytes)
        {
            if (WhisperNative.whisper_lang_id(pointer) < 0)
            {
                throw new ArgumentException($"whisper.cpp does not know the language '{language}' (use a code such as en, de, fr, or auto)", nameof(language));
            }
        }

        return bytes;
    }

    // ggml_abort_callback, called between compute steps on whisper.cpp's thread: true stops it.
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static byte ShouldAbort(nint userData) =>
        userData != 0 && GCHandle.FromIntPtr(userData).Target is CancellationToken token && token.IsCancellationRequested ? (byte)1 : (byte)0;

    private WhisperTranscript ReadResult(long durationMs)
    {
        var count = WhisperNative.whisper_full_n_segments_from_state(_state);
        var segments = new List<WhisperSegment>(count);
        long previousStart = 0;
        for (var i = 0; i < count; i++)
        {
            // t0/t1 are in 10 ms units and may run past the end: whisper decodes 30 s windows
            // of zero-padded audio. Clamped to the audio, starts never going back.
            var start = Math.Clamp(WhisperNative.whisper_full_get_segment_t0_from_state(_state, i) * 10, previousStart, durationMs);
            var end = Math.Clamp(WhisperNative.whisper_full_get_segment_t1_from_state(_state, i) * 10, start, durationMs);
            previousStart = start;
            var text = Marshal.PtrToStringUTF8(WhisperNative.whisper_full_get_segment_text_from_state(_state, i)) ?? "";
            segments.Add(new WhisperSegment(start, end, text.Trim(), Confidence(i)));
        }

        var languageId = WhisperNative.whisper_full_lang_id_from_state(_state);
        var language = languageId < 0 ? null : Marshal.PtrToStringUTF8(WhisperNative.whisper_lang_str(languageId));
        return new WhisperTranscript(segments, language);
    }

    private float Confidence(int segment)
    {
        var tokens = WhisperNative.whisper_full_n_tokens_from_state(_state, segment);
        double sum = 0;
        var textTokens = 0;
        for (var t = 0; t < tokens; t++)
        {
            var data = WhisperNative.whisper_full_get_token_data_from_state(_state, segment, t);
            if (data.Id < _model.EndOfText)
            {
                sum += data.P;
                textTokens++;
            }
        }

        return textTokens == 0 ? 0f : (float)(sum / textTokens);
    }
}
