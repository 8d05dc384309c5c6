using System.Collections.Frozen;

namespace CallTracking.Engine.Security;

/// <summary>
/// The one table of who may call what: every authenticated endpoint — REST as <c>"METHOD /route/pattern"</c>
/// (the pattern as mapped, e.g. <c>GET /v1/calls/{id:guid}</c>) and gRPC as its path
/// (<c>/calltracking.v1.Calls/GetCall</c>) — with the roles allowed. The dashboard calls the same REST and gRPC
/// endpoints with its session token, so the same table governs it. An authenticated endpoint missing from the table
/// is refused to everyone (deny by default); a test compares the table with the registered endpoints.
/// Which rows of a table a role sees (an agency's clients, an agent's own calls) is scoping, not this table:
/// see <see cref="Api.ApiPrincipal"/>.
/// </summary>
public static class AccessPolicy
{
    private static readonly Role[] Everyone = [Role.AgencyAdmin, Role.OrgAdmin, Role.Manager, Role.Analyst, Role.Agent];

    // Office staff: everyone but agents, who only see their own calls (configuration would show them the others').
    private static readonly Role[] Staff = [Role.AgencyAdmin, Role.OrgAdmin, Role.Manager, Role.Analyst];

    // Audio: everyone but analysts.
    private static readonly Role[] Audio = [Role.AgencyAdmin, Role.OrgAdmin, Role.Manager, Role.Agent];

    private static readonly Role[] Managers = [Role.AgencyAdmin, Role.OrgAdmin, Role.Manager];

    private static readonly Role[] Admins = [Role.AgencyAdmin, Role.OrgAdmin];

    private static readonly Role[] Agency = [Role.AgencyAdmin];

    /// <summary>Endpoint → allowed roles.</summary>
    public static readonly FrozenDictionary<string, IReadOnlyList<Role>> Table = new Dictionary<string, IReadOnlyList<Role>>(StringComparer.Ordinal)
    {
        ["GET /v1/organisations"] = Staff,
        ["GET /v1/organisations/{id:guid}"] = Staff,
        ["GET /v1/campaigns"] = Staff,
        ["GET /v1/campaigns/{id:guid}"] = Staff,
        ["POST /v1/campaigns"] = Managers,
        ["PUT /v1/campaigns/{id:guid}"] = Managers,
        ["PATCH /v1/campaigns/{id:guid}"] = Managers,
        ["DELETE /v1/campaigns/{id:guid}"] = Managers,
        ["GET /v1/numbers"] = Staff,
        ["GET /v1/numbers/{id:guid}"] = Staff,
        ["POST /v1/numbers"] = Managers,
        ["PUT /v1/numbers/{id:guid}"] = Managers,
        ["PATCH /v1/numbers/{id:guid}"] = Managers,
        ["DELETE /v1/numbers/{id:guid}"] = Managers,
        ["GET /v1/plans"] = Staff,
        ["GET /v1/plans/{id:guid}"] = Staff,
        ["POST /v1/plans"] = Managers,
        ["PUT /v1/plans/{id:guid}"] = Managers,
        ["PATCH /v1/plans/{id:guid}"] = Managers,
        ["DELETE /v1/plans/{id:guid}"] = Managers,
        ["GET /v1/trunks"] = Managers,
        ["GET /v1/trunks/{id:guid}"] = Managers,
        ["GET /v1/calls"] = Everyone,
        ["GET /v1/calls/{id:guid}"] = Everyone,
        ["GET /v1/calls/{id:guid}/events"] = Everyone,
        ["GET /v1/calls/{id:guid}/recording"] = Audio,
        ["GET /v1/calls/{id:guid}/transcript"] = Everyone,
        ["POST /v1/calls/{id:guid}/recording/pause"] = Audio,
        ["POST /v1/calls/{id:guid}/recording/resume"] = Audio,
        ["GET /v1/audit"] = Admins,

        // Privacy (issue 8): deleting data, retention, requests by caller number and an organisation's exit are the
        // data controller's decisions, so administrators only; deleting an organisation is its agency's.
        ["DELETE /v1/calls/{id:guid}"] = Admins,
        ["DELETE /v1/calls/{id:guid}/recording"] = Admins,
        ["DELETE /v1/calls/{id:guid}/transcript"] = Admins,
        ["PUT /v1/organisations/{id:guid}/retention"] = Admins,
        ["PUT /v1/campaigns/{id:guid}/retention"] = Admins,
        ["GET /v1/subjects/{number}/calls"] = Admins,
        ["GET /v1/subjects/{number}/export"] = Admins,
        ["POST /v1/subjects/{number}/erase"] = Admins,
        ["GET /v1/organisations/{id:guid}/export"] = Admins,
        ["DELETE /v1/organisations/{id:guid}"] = Agency,
        ["/calltracking.v1.Calls/DeleteCall"] = Admins,
        ["/calltracking.v1.Calls/DeleteRecording"] = Admins,
        ["/calltracking.v1.Calls/DeleteTranscript"] = Admins,

        // Webhooks and conversions (issue 7): managers see what is sent; endpoints, secrets and platform
        // credentials are set by administrators. The export file carries click ids and hashed numbers.
        ["GET /v1/webhooks"] = Managers,
        ["GET /v1/webhooks/{id:guid}"] = Managers,
        ["GET /v1/webhooks/{id:guid}/deliveries"] = Managers,
        ["POST /v1/webhooks"] = Admins,
        ["PATCH /v1/webhooks/{id:guid}"] = Admins,
        ["DELETE /v1/webhooks/{id:guid}"] = Admins,
        ["GET /v1/deliveries"] = Managers,
        ["GET /v1/deliveries/status"] = Managers,
        ["GET /v1/deliveries/{id:guid}"] = Managers,
        ["POST /v1/deliveries/{id:guid}/replay"] = Admins,
        ["GET /v1/conversion-actions"] = Managers,
        ["GET /v1/conversion-actions/{id:guid}"] = Managers,
        ["GET /v1/conversion-actions/{id:guid}/export.csv"] = Managers,
        ["POST /v1/conversion-actions"] = Admins,
        ["PATCH /v1/conversion-actions/{id:guid}"] = Admins,
        ["DELETE /v1/conversion-actions/{id:guid}"] = Admins,

        // Number insertion (issue 7): marketing configuration, read by office staff, changed by managers; a site's
        // secret (server-side assignment) is rotated by administrators.
        ["GET /v1/dni/sites"] = Staff,
        ["GET /v1/dni/sites/{id:guid}"] = Staff,
        ["POST /v1/dni/sites"] = Managers,
        ["PATCH /v1/dni/sites/{id:guid}"] = Managers,
        ["DELETE /v1/dni/sites/{id:guid}"] = Managers,
        ["POST /v1/dni/sites/{id:guid}/secret"] = Admins,
        ["GET /v1/dni/sources"] = Staff,
        ["GET /v1/dni/sources/{id:guid}"] = Staff,
        ["POST /v1/dni/sources"] = Managers,
        ["PATCH /v1/dni/sources/{id:guid}"] = Managers,
        ["DELETE /v1/dni/sources/{id:guid}"] = Managers,
        ["GET /v1/dni/pools"] = Staff,
        ["GET /v1/dni/pools/{id:guid}"] = Staff,
        ["GET /v1/dni/pools/{id:guid}/utilisation"] = Staff,
        ["POST /v1/dni/pools"] = Managers,
        ["PATCH /v1/dni/pools/{id:guid}"] = Managers,
        ["DELETE /v1/dni/pools/{id:guid}"] = Managers,
        ["POST /v1/dni/pools/{id:guid}/numbers"] = Managers,
        ["DELETE /v1/dni/pools/{id:guid}/numbers/{number}"] = Managers,
        ["GET /v1/dni/sessions"] = Staff,
        ["/calltracking.v1.Calls/GetCall"] = Everyone,
        ["/calltracking.v1.Calls/ListCalls"] = Everyone,
        ["/calltracking.v1.Calls/GetRecordingLink"] = Audio,
        ["/calltracking.v1.Calls/GetTranscript"] = Everyone,
        ["/calltracking.v1.Calls/PauseRecording"] = Audio,
        ["/calltracking.v1.Calls/ResumeRecording"] = Audio,

        // The stream is organisation-wide: an agent would see every colleague's calls.
        ["/calltracking.v1.CallEvents/Subscribe"] = Staff,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// Endpoints that take no bearer credential and so no role: the dashboard's page and sign-in, and signed
    /// recording links (the link is the credential; only roles allowed audio can have one made).
    /// </summary>
    public static readonly FrozenSet<string> Public = new[]
    {
        "GET /",
        "GET /index.html",
        "GET /assets/{**path}",
        "POST /dashboard/session",
        "DELETE /dashboard/session",
        "GET /recordings/{callId:guid}",
        "HEAD /recordings/{callId:guid}",

        // gRPC health checking (grpc.health.v1) is for load balancers, without credentials.
        "/grpc.health.v1.Health/Check",
        "/grpc.health.v1.Health/Watch",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="role"/> may call <paramref name="endpoint"/>; false for an endpoint not in the table.</summary>
    public static bool Allows(string endpoint, Role role) =>
        Table.TryGetValue(endpoint, out var roles) && roles.Contains(role);

    /// <summary>The table key of a REST endpoint.</summary>
    public static string RestKey(string method, string routePattern) => method.ToUpperInvariant() + " " + routePattern;
}
