using Microsoft.Win32.SafeHandles;

namespace CallTracking.Media.Codecs.Opus;

/// <summary>Owns one <c>OpusEncoder*</c>; only <see cref="OpusEncoder"/> creates it.</summary>
public sealed class OpusEncoderHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    // Called by the interop marshaller for opus_encoder_create's return value.
    public OpusEncoderHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        OpusNative.opus_encoder_destroy(handle);
        return true;
    }
}
