using System.Buffers.Binary;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;

namespace CallTracking.Engine.Api;

/// <summary>
/// The opaque <c>page_token</c> of <c>GET /v1/calls</c>: the (started_at, id) of the last call of a
/// page, base64url. The next page starts strictly after it in (started_at desc, id desc) order, so
/// calls written meanwhile never shift a page and no call is returned twice.
/// </summary>
internal static class CallPageToken
{
    private const int Length = 8 + 16;

    public static string Encode(DateTimeOffset startedAt, Guid id)
    {
        Span<byte> bytes = stackalloc byte[Length];
        BinaryPrimitives.WriteInt64BigEndian(bytes, startedAt.UtcTicks);
        id.TryWriteBytes(bytes[8..], bigEndian: true, out _);
        return Base64Url.EncodeToString(bytes);
    }

    public static bool TryDecode(string token, out DateTimeOffset startedAt, [NotNullWhen(true)] out Guid? id)
    {
        startedAt = default;
        id = null;
        Span<byte> bytes = stackalloc byte[Length];
        // Check first: TryDecodeFromChars throws on characters outside the alphabet.
        if (token.Length > 64
            || !Base64Url.IsValid(token, out var decodedLength)
            || decodedLength != Length
            || !Base64Url.TryDecodeFromChars(token, bytes, out var written)
            || written != Length)
        {
            return false;
        }

        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes);
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        startedAt = new DateTimeOffset(ticks, TimeSpan.Zero);
        id = new Guid(bytes[8..], bigEndian: true);
        return true;
    }
}
