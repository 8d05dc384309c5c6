namespace CallTracking.Grpc.Protocol;

/// <summary>
/// Content types of gRPC (PROTOCOL-HTTP2.md: "application/grpc" [("+proto" / "+json" / {custom})]) and
/// gRPC-Web (PROTOCOL-WEB.md: application/grpc-web[-text][+proto]).
/// </summary>
public static class GrpcContentType
{
    public const string Grpc = "application/grpc";
    public const string GrpcWeb = "application/grpc-web";
    public const string GrpcWebText = "application/grpc-web-text";

    /// <summary>Classifies a request's content type; parameters after ';' are ignored, the names are case-insensitive.</summary>
    public static GrpcWireFormat Classify(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return GrpcWireFormat.None;
        }

        var value = contentType.AsSpan();
        var semicolon = value.IndexOf(';');
        if (semicolon >= 0)
        {
            value = value[..semicolon];
        }

        value = value.Trim();
        var format = GrpcWireFormat.None;
        ReadOnlySpan<char> rest = default;
        if (value.StartsWith(GrpcWebText, StringComparison.OrdinalIgnoreCase))
        {
            format = GrpcWireFormat.GrpcWebText;
            rest = value[GrpcWebText.Length..];
        }
        else if (value.StartsWith(GrpcWeb, StringComparison.OrdinalIgnoreCase))
        {
            format = GrpcWireFormat.GrpcWeb;
            rest = value[GrpcWeb.Length..];
        }
        else if (value.StartsWith(Grpc, StringComparison.OrdinalIgnoreCase))
        {
            format = GrpcWireFormat.Grpc;
            rest = value[Grpc.Length..];
        }

        if (format == GrpcWireFormat.None || rest.IsEmpty || rest.Equals("+proto", StringComparison.OrdinalIgnoreCase))
        {
            return format;
        }

        // "application/grpcfoo" is some other type; "application/grpc+json" is gRPC in a format we do not speak.
        return rest[0] == '+' ? GrpcWireFormat.UnsupportedFormat : GrpcWireFormat.None;
    }
}
