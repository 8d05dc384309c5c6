using System.Runtime.CompilerServices;

namespace CallTracking.Media.Transcription;

/// <summary>
/// <c>struct whisper_full_params</c> of whisper.h 1.9.1 as an opaque block of the
/// struct's exact size and alignment: it is filled by copying
/// <c>whisper_full_default_params_by_ref</c>, and only the fields below are written, at
/// the byte offsets the C compiler gives them (WhisperLayoutTests compiles a C program
/// against the same whisper.h and compares every constant here). Mirroring all 60-odd
/// fields would be more to keep right for nothing: the rest keep whisper.cpp's defaults.
/// </summary>
internal unsafe struct WhisperFullParams
{
    /// <summary>sizeof(struct whisper_full_params); alignment 8 (it holds pointers).</summary>
    public const int Size = 304;

    public const int StrategyOffset = 0;
    public const int NThreadsOffset = 4;
    public const int TranslateOffset = 20;
    public const int NoContextOffset = 21;
    public const int PrintSpecialOffset = 24;
    public const int PrintProgressOffset = 25;
    public const int PrintRealtimeOffset = 26;
    public const int PrintTimestampsOffset = 27;
    public const int InitialPromptOffset = 72;
    public const int LanguageOffset = 104;
    public const int DetectLanguageOffset = 112;
    public const int TemperatureOffset = 116;
    public const int TemperatureIncOffset = 128;
    public const int AbortCallbackOffset = 208;
    public const int AbortCallbackUserDataOffset = 216;

    private fixed ulong _storage[Size / sizeof(ulong)];

    public int ReadInt32(int offset) => Unsafe.ReadUnaligned<int>(ref At(offset));

    public void WriteInt32(int offset, int value) => Unsafe.WriteUnaligned(ref At(offset), value);

    public void WriteSingle(int offset, float value) => Unsafe.WriteUnaligned(ref At(offset), value);

    // C bool: one byte, 0 or 1.
    public void WriteBool(int offset, bool value) => At(offset) = value ? (byte)1 : (byte)0;

    public void WritePointer(int offset, nint value) => Unsafe.WriteUnaligned(ref At(offset), value);

    private ref byte At(int offset)
    {
        if ((uint)offset >= Size)
        {
            throw new ArgumentOutOfRangeException(nameof(offset));
        }

        return ref Unsafe.Add(ref Unsafe.As<ulong, byte>(ref _storage[0]), offset);
    }
}
