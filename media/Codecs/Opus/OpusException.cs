using System.Runtime.InteropServices;

namespace CallTracking.Media.Codecs.Opus;

/// <summary>libopus returned an error code; the message is libopus's own (opus_strerror).</summary>
public sealed class OpusException : Exception
{
    public OpusException()
    {
    }

    public OpusException(string message)
        : base(message)
    {
    }

    public OpusException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public OpusException(int errorCode, string operation)
        : base($"{operation}: {Describe(errorCode)} ({errorCode})")
    {
        ErrorCode = errorCode;
    }

    /// <summary>OPUS_BAD_ARG (-1), OPUS_BUFFER_TOO_SMALL (-2), OPUS_INTERNAL_ERROR (-3), OPUS_INVALID_PACKET (-4), …</summary>
    public int ErrorCode { get; }

    /// <summary>libopus's text for an error code, e.g. "invalid argument".</summary>
    public static string Describe(int errorCode) =>
        Marshal.PtrToStringUTF8(OpusNative.opus_strerror(errorCode)) ?? "unknown error";
}
