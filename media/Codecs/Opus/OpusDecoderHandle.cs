using Microsoft.Win32.SafeHandles;

namespace CallTracking.Media.Codecs.Opus;

/// <summary>Owns one <c>OpusDecoder*</c>; only <see cref="OpusDecoder"/> creates it.</summary>
public sealed class OpusDecoderHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    // Called by the interop marshaller for opus_decoder_create's return value.
    public OpusDecoderHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        OpusNative.opus_decoder_destroy(handle);
        return true;
    }
}
