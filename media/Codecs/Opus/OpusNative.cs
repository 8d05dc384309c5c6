using System.Runtime.InteropServices;
using CallTracking.Media.Native;

namespace CallTracking.Media.Codecs.Opus;

/// <summary>libopus (Debian libopus0) entry points; opus_defines.h / opus.h.</summary>
internal static unsafe partial class OpusNative
{
    [LibraryImport(NativeLibraries.OpusName)]
    internal static partial OpusEncoderHandle opus_encoder_create(int fs, int channels, int application, out int error);

    [LibraryImport(NativeLibraries.OpusName)]
    internal static partial void opus_encoder_destroy(nint st);

    [LibraryImport(NativeLibraries.OpusName)]
    internal static partial int opus_encode(OpusEncoderHandle st, short* pcm, int frameSize, byte* data, int maxDataBytes);

    // opus_encoder_ctl is variadic: one fixed signature per argument shape.
    [LibraryImport(NativeLibraries.OpusName, EntryPoint = "opus_encoder_ctl")]
    internal static partial int opus_encoder_ctl_set_int(OpusEncoderHandle st, int request, int value);

    [LibraryImport(NativeLibraries.OpusName, EntryPoint = "opus_encoder_ctl")]
    internal static partial int opus_encoder_ctl_get_int(OpusEncoderHandle st, int request, out int value);

    [LibraryImport(NativeLibraries.OpusName)]
    internal static partial OpusDecoderHandle opus_decoder_create(int fs, int channels, out int error);

    [LibraryImport(NativeLibraries.OpusName)]
    internal static partial void opus_decoder_destroy(nint st);

    [LibraryImport(NativeLibraries.OpusName)]
    internal static partial int opus_decode(OpusDecoderHandle st, byte* data, int len, short* pcm, int frameSize, int decodeFec);

    // Both return static strings owned by libopus: never freed.
    [LibraryImport(NativeLibraries.OpusName)]
    internal static partial nint opus_strerror(int error);

    [LibraryImport(NativeLibraries.OpusName)]
    internal static partial nint opus_get_version_string();
}
