using Microsoft.Win32.SafeHandles;

namespace CallTracking.Media.Transcription;

/// <summary>Owns one <c>whisper_context*</c> (the loaded weights); only <see cref="WhisperModel"/> creates it.</summary>
public sealed class WhisperContextHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public WhisperContextHandle()
        : base(ownsHandle: true)
    {
    }

    internal WhisperContextHandle(nint context)
        : base(ownsHandle: true)
    {
        SetHandle(context);
    }

    protected override bool ReleaseHandle()
    {
        WhisperNative.whisper_free(handle);
        return true;
    }
}
