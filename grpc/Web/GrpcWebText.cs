using System.Buffers;
using System.Buffers.Text;

namespace CallTracking.Grpc.Web;

/// <summary>
/// The base64 of <c>application/grpc-web-text</c> (PROTOCOL-WEB.md "Text-encoded (response) streams"): a body
/// may be several independently padded base64 chunks (one per message), so decoding restarts after padding.
/// </summary>
public static class GrpcWebText
{
    /// <summary>The largest decoded size of <paramref name="base64Length"/> base64 bytes.</summary>
    public static int MaxDecodedLength(int base64Length) => Base64.GetMaxDecodedFromUtf8Length(base64Length);

    /// <summary>
    /// Decodes a body of concatenated padded chunks into <paramref name="destination"/> (at least
    /// <see cref="MaxDecodedLength"/> long). False when it is not base64.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> base64, Span<byte> destination, out int written)
    {
        written = 0;
        while (!base64.IsEmpty)
        {
            // A chunk ends after its padding; the last chunk may also end without any.
            var chunkLength = base64.IndexOf((byte)'=');
            if (chunkLength < 0)
            {
                chunkLength = base64.Length;
            }
            else
            {
                while (chunkLength < base64.Length && base64[chunkLength] == '=')
                {
                    chunkLength++;
                }
            }

            var status = Base64.DecodeFromUtf8(base64[..chunkLength], destination[written..], out var consumed, out var decoded, isFinalBlock: true);
            if (status != OperationStatus.Done || consumed != chunkLength)
            {
                return false;
            }

            written += decoded;
            base64 = base64[chunkLength..];
        }

        return true;
    }

    /// <summary>Encodes <paramref name="data"/> as one padded base64 chunk into <paramref name="destination"/>.</summary>
    public static void Encode(ReadOnlySpan<byte> data, IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var span = destination.GetSpan(Base64.GetMaxEncodedToUtf8Length(data.Length));
        Base64.EncodeToUtf8(data, span, out _, out var written);
        destination.Advance(written);
    }
}
