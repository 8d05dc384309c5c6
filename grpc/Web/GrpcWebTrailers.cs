using System.Buffers;
using System.Globalization;
using System.Text;
using CallTracking.Grpc.Framing;
using CallTracking.Grpc.Protocol;

namespace CallTracking.Grpc.Web;

/// <summary>
/// gRPC-Web trailers (PROTOCOL-WEB.md "Message framing"): browsers cannot read HTTP trailers, so the status goes
/// in a last frame with flag 0x80 whose payload is HTTP/1-style header lines, "name: value\r\n", lower-case names.
/// </summary>
public static class GrpcWebTrailers
{
    /// <summary>Writes the whole trailer frame (header and payload) for a status.</summary>
    public static void Write(IBufferWriter<byte> destination, int status, string? encodedMessage)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var text = new StringBuilder(64);
        text.Append(GrpcHeaders.Status).Append(": ").Append(status.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        if (!string.IsNullOrEmpty(encodedMessage))
        {
            text.Append(GrpcHeaders.Message).Append(": ").Append(encodedMessage).Append("\r\n");
        }

        // The encoded message is ASCII (percent-encoded), so one byte per char.
        var length = text.Length;
        var span = destination.GetSpan(GrpcFrameReader.HeaderSize + length);
        GrpcFrameReader.WriteHeader(span, GrpcFrame.TrailersFlag, length);
        Encoding.ASCII.GetBytes(text.ToString(), span[GrpcFrameReader.HeaderSize..]);
        destination.Advance(GrpcFrameReader.HeaderSize + length);
    }

    /// <summary>Parses a trailer frame's payload into names (lower-cased) and values.</summary>
    public static IReadOnlyDictionary<string, string> Parse(in ReadOnlySequence<byte> payload)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var text = Encoding.ASCII.GetString(payload.ToArray());
        foreach (var line in text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                result[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
            }
        }

        return result;
    }
}
