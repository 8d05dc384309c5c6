using System.Diagnostics.CodeAnalysis;

namespace CallTracking.Engine.Sip.Messages;

/// <summary>Throws for caller bugs, kept out of hot methods so they stay small enough to inline.</summary>
internal static class ThrowHelpers
{
    [DoesNotReturn]
    public static void ThrowHeaderIndexOutOfRange(int index) =>
        throw new ArgumentOutOfRangeException(nameof(index), index, "No header line with that index.");
}
