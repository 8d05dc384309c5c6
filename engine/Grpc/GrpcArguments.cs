using System.Text.RegularExpressions;
using CallTracking.Engine.Api;
using CallTracking.Grpc.Server;

namespace CallTracking.Engine.Grpc;

/// <summary>Request field checks shared by the services: a malformed value is INVALID_ARGUMENT naming the field.</summary>
internal static partial class GrpcArguments
{
    public static Guid Uuid(string value, string field) =>
        Guid.TryParse(value, out var id) ? id : throw new GrpcException(StatusCode.InvalidArgument, $"{field}: \"{Truncate(value)}\" is not a UUID");

    public static Guid? OptionalUuid(string value, string field) => value.Length == 0 ? null : Uuid(value, field);

    /// <summary>E.164 as the database stores tracking numbers: + then 7 to 15 digits, no leading 0.</summary>
    public static string TrackingNumber(string value, string field) =>
        E164().IsMatch(value) ? value : throw new GrpcException(StatusCode.InvalidArgument, $"{field}: \"{Truncate(value)}\" is not an E.164 number such as +14155550100");

    /// <summary>An event kind: dotted lower-case words (<c>call.started</c>); kinds this version does not know are allowed.</summary>
    public static string Kind(string value, string field) =>
        EventKind().IsMatch(value) ? value : throw new GrpcException(StatusCode.InvalidArgument, $"{field}: \"{Truncate(value)}\" is not an event kind such as call.started");

    /// <summary>The organisation a request names, which the principal must see: NOT_FOUND otherwise, as for one that does not exist.</summary>
    public static Guid VisibleOrganisation(ApiPrincipal principal, string value, string field)
    {
        var id = Uuid(value, field);
        return principal.CanSee(id) ? id : throw new GrpcException(StatusCode.NotFound, $"{field}: organisation {id} not found");
    }

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$", RegexOptions.CultureInvariant)]
    private static partial Regex E164();

    [GeneratedRegex(@"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_-]*)+$", RegexOptions.CultureInvariant)]
    private static partial Regex EventKind();
}
