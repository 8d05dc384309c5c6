using System.Diagnostics.Metrics;
using System.Globalization;
using System.Security.Cryptography;
using Npgsql;
using NpgsqlTypes;

namespace CallTracking.Engine.Api;

/// <summary>
/// Signed, expiring links (<see cref="SignedLinkSigner"/>), recordings first:
/// <c>{Http:PublicUrl}/recordings/{callId}?org={organisationId}&amp;expires={unix}&amp;sig={base64url}</c>,
/// downloadable without an API key until they expire (default <see cref="DefaultLifetime"/>,
/// <c>Security:LinkLifetime</c>). Other kinds of link (exports) use <see cref="CreateAsync(string, string, string, Guid, TimeSpan, CancellationToken)"/>
/// and <see cref="CheckAsync(string, string, string?, string?, string?, CancellationToken)"/> with their own purpose.
/// The HMAC secret lives in the database (<c>signing_keys</c>, created by whichever node needs it first) so a link
/// made on one node works on every node.
/// </summary>
public sealed class RecordingLinks
{
    /// <summary>The path links point at; the endpoint is mapped by <see cref="ApiEndpoints.MapSignedRecordings"/>.</summary>
    public const string PathPrefix = "/recordings/";

    /// <summary>The configuration key of the default link lifetime (a TimeSpan, e.g. <c>00:15:00</c>).</summary>
    public const string LifetimeConfigurationKey = "Security:LinkLifetime";

    private const string Purpose = "recording-links";

    private readonly NpgsqlDataSource _dataSource;
    private readonly Func<Uri> _publicUrl;
    private readonly TimeProvider _time;
    private readonly Counter<long> _refused;

    // The secret once read; never changes for the life of the database (rows are never updated).
    private byte[]? _secret;

    /// <param name="publicUrl">The engine's HTTP base URL as clients reach it (read when a link is made, so it may depend on the bound port).</param>
    public RecordingLinks(NpgsqlDataSource dataSource, Func<Uri> publicUrl, TimeProvider time, IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(publicUrl);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(meters);
        _dataSource = dataSource;
        _publicUrl = publicUrl;
        _time = time;
        _refused = meters.Create(ApiEndpoints.MeterName).CreateCounter<long>("calltracking.api.recording_links_refused", description: "Signed link downloads refused: bad signature, altered, another organisation's, or expired");
    }

    /// <summary>How long a link lives when its maker does not say (<c>Security:LinkLifetime</c>, default 15 minutes).</summary>
    public TimeSpan DefaultLifetime { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>A link to <paramref name="callId"/>'s recording, bound to <paramref name="organisationId"/> (the call's), valid for <paramref name="lifetime"/> (whole seconds, rounded down).</summary>
    public Task<(Uri Url, DateTimeOffset ExpiresAt)> CreateAsync(Guid callId, Guid organisationId, TimeSpan lifetime, CancellationToken cancellationToken) =>
        CreateAsync(SignedLinkSigner.RecordingPurpose, PathPrefix, callId.ToString("D"), organisationId, lifetime, cancellationToken);

    /// <summary>
    /// A signed link of any purpose: <c>{public URL}{pathPrefix}{resource}?org=&amp;expires=&amp;sig=</c>. The
    /// resource is put in the path as given (it must be URL-safe, e.g. a UUID).
    /// </summary>
    public async Task<(Uri Url, DateTimeOffset ExpiresAt)> CreateAsync(string purpose, string pathPrefix, string resource, Guid organisationId, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pathPrefix);
        var secret = await SecretAsync(cancellationToken).ConfigureAwait(false);
        var expires = _time.GetUtcNow().ToUnixTimeSeconds() + (long)lifetime.TotalSeconds;
        var signature = SignedLinkSigner.Sign(secret, purpose, resource, organisationId, expires);
        var url = new Uri(string.Create(
            CultureInfo.InvariantCulture,
            $"{_publicUrl().ToString().TrimEnd('/')}{pathPrefix}{resource}?org={organisationId:D}&expires={expires}&sig={signature}"));
        return (url, DateTimeOffset.FromUnixTimeSeconds(expires));
    }

    /// <summary>Checks a presented recording link's parameters (as sent: any may be missing or malformed); refusals are counted.</summary>
    public Task<RecordingLinkCheck> CheckAsync(string callId, string? organisation, string? expires, string? signature, CancellationToken cancellationToken) =>
        CheckAsync(SignedLinkSigner.RecordingPurpose, callId, organisation, expires, signature, cancellationToken);

    /// <summary>
    /// Checks a presented link of <paramref name="purpose"/>: every parameter must be exactly as signed (canonical
    /// spelling: no leading zeros, no upper-case UUIDs), the signature the engine's, and the expiry in the future.
    /// The caller still checks that the resource belongs to the organisation the link names.
    /// </summary>
    public async Task<RecordingLinkCheck> CheckAsync(string purpose, string resource, string? organisation, string? expires, string? signature, CancellationToken cancellationToken)
    {
        var check = await CheckLinkAsync(purpose, resource, organisation, expires, signature, cancellationToken).ConfigureAwait(false);
        if (check != RecordingLinkCheck.Valid)
        {
            _refused.Add(1, new KeyValuePair<string, object?>("reason", check == RecordingLinkCheck.Expired ? "expired" : "signature"));
        }

        return check;
    }

    private async Task<RecordingLinkCheck> CheckLinkAsync(string purpose, string resource, string? organisation, string? expires, string? signature, CancellationToken cancellationToken)
    {
        if (!long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAt)
            || expiresAt.ToString(CultureInfo.InvariantCulture) != expires
            || !Guid.TryParseExact(organisation, "D", out var organisationId)
            || organisationId.ToString("D") != organisation
            || signature is null)
        {
            return RecordingLinkCheck.BadSignature;
        }

        var secret = await SecretAsync(cancellationToken).ConfigureAwait(false);
        if (!SignedLinkSigner.Verify(secret, purpose, resource, organisationId, expiresAt, signature))
        {
            return RecordingLinkCheck.BadSignature;
        }

        return _time.GetUtcNow().ToUnixTimeSeconds() >= expiresAt ? RecordingLinkCheck.Expired : RecordingLinkCheck.Valid;
    }

    private async Task<byte[]> SecretAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _secret) is { } known)
        {
            return known;
        }

        // Two nodes (or two requests) may race to create it: the insert that loses does nothing and both read the winner.
        await using var command = _dataSource.CreateCommand("""
            with created as (
                insert into signing_keys (purpose, secret) values ($1, $2) on conflict (purpose) do nothing returning secret
            )
            select secret from created union all select secret from signing_keys where purpose = $1
            limit 1
            """);
        command.Parameters.Add(new() { Value = Purpose, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = RandomNumberGenerator.GetBytes(32), NpgsqlDbType = NpgsqlDbType.Bytea });
        // A creator that committed while this statement waited on its conflict is invisible to this statement's
        // snapshot (READ COMMITTED): then nothing comes back, and the next statement sees the row.
        var secret = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as byte[]
            ?? await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as byte[]
            ?? throw new InvalidOperationException("the recording link secret (signing_keys) could not be created or read");
        Volatile.Write(ref _secret, secret);
        return secret;
    }
}
