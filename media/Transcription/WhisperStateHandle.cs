using Microsoft.Win32.SafeHandles;

namespace CallTracking.Media.Transcription;

/// <summary>
/// Owns one <c>whisper_state*</c> (a transcriber's working memory); only
/// <see cref="WhisperTranscriber"/> creates it. The state keeps the context it was made
/// from alive (a reference count on the context handle) until the state is freed.
/// </summary>
public sealed class WhisperStateHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private readonly WhisperContextHandle? _context;

    public WhisperStateHandle()
        : base(ownsHandle: true)
    {
    }

    internal WhisperStateHandle(nint state, WhisperContextHandle context)
        : base(ownsHandle: true)
    {
        _context = context;
        SetHandle(state);
    }

    protected override bool ReleaseHandle()
    {
        WhisperNative.whisper_free_state(handle);
        _context?.DangerousRelease();
        return true;
    }
}
