using System.Runtime.InteropServices;
using CallTracking.Media.Native;

namespace CallTracking.Media.Codecs.Opus;

/// <summary>Start-up check for libopus.</summary>
public static class OpusLibrary
{
    /// <summary>Loads libopus and returns its version string, e.g. "libopus 1.3.1".</summary>
    /// <exception cref="NativeLibraryMissingException">libopus is not installed; the message names libopus0.</exception>
    public static string EnsureAvailable()
    {
        NativeLibraries.EnsureAvailable(NativeLibraries.Opus);
        return Marshal.PtrToStringUTF8(OpusNative.opus_get_version_string()) ?? "libopus";
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    internal static void ThrowMissing(DllNotFoundException exception) =>
        throw new NativeLibraryMissingException(NativeLibraries.Opus, exception);
}
