using System.Diagnostics.CodeAnalysis;

namespace CallTracking.Media.Rtp;

/// <summary>Keeps rare throws out of the hot methods so they stay small enough to inline.</summary>
internal static class ThrowHelpers
{
    [DoesNotReturn]
    public static void ThrowIndexOutOfRange(string paramName, int index, int count) =>
        throw new ArgumentOutOfRangeException(paramName, index, $"Must be below {count}.");

    [DoesNotReturn]
    public static void ThrowArgument(string paramName, string message) =>
        throw new ArgumentException(message, paramName);
}
