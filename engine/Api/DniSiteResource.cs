namespace CallTracking.Engine.Api;

/// <summary>
/// A website using dynamic number insertion. <see cref="PublicKey"/> goes in the page
/// (<c>&lt;script src="…/dni.js" data-key="…"&gt;</c>); <see cref="Secret"/> — for the server-side assignment
/// endpoint — is shown only when the site is created or its secret rotated.
/// </summary>
public sealed record DniSiteResource(
    Guid Id,
    Guid OrganisationId,
    string Name,
    string PublicKey,
    IReadOnlyList<string> AllowedOrigins,
    IReadOnlyList<string> SwapNumbers,
    int HeartbeatSeconds,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public string? Secret { get; init; }
}
