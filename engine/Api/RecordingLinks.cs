using System.Diagnostics.Metrics;
using System.Globalization;
using System.Security.Cryptography;
using Npgsql;
using NpgsqlTypes;

namespace CallTracking.Engine.Api;

/// <summary>
/// Signed, expiring recording links: <c>{Http:PublicUrl}/recordings/{callId}?expires={unix}&amp;sig={base64url}</c>,
/// downloadable without an API key until they expire. The HMAC secret lives in the database
/// (<c>signing_keys</c>, created by whichever node needs it first) so a link made on one node works on every node.
/// </summary>
public sealed class RecordingLinks
{
    /// <summary>The path links point at; the endpoint is mapped by <see cref="ApiEndpoints.MapSignedRecordings"/>.</summary>
    public const string PathPrefix = "/recordings/";

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
        _refused = meters.Create(ApiEndpoints.MeterName).CreateCounter<long>("calltracking.api.recording_links_refused", description: "Recording link downloads refused: bad signature or expired");
    }

    /// <summary>A link to <paramref name="callId"/>'s recording valid for <paramref name="lifetime"/> (whole seconds, rounded down).</summary>
    public async Task<(Uri Url, DateTimeOffset ExpiresAt)> CreateAsync(Guid callId, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var secret = await SecretAsync(cancellationToken).ConfigureAwait(false);
        var expires = _time.GetUtcNow().ToUnixTimeSeconds() + (long)lifetime.TotalSeconds;
        var signature = RecordingLinkSigner.Sign(secret, callId, expires);
        var url = new Uri(string.Create(
            CultureInfo.InvariantCulture,
            $"{_publicUrl().ToString().TrimEnd('/')}{PathPrefix}{callId:D}?expires={expires}&sig={signature}"));
        return (url, DateTimeOffset.FromUnixTimeSeconds(expires));
    }

    /// <summary>Checks a presented link's parameters (as sent: either may be missing or malformed); refusals are counted.</summary>
    public async Task<RecordingLinkCheck> CheckAsync(Guid callId, string? expires, string? signature, CancellationToken cancellationToken)
    {
        var check = await CheckLinkAsync(callId, expires, signature, cancellationToken).ConfigureAwait(false);
        if (check != RecordingLinkCheck.Valid)
        {
            _refused.Add(1, new KeyValuePair<string, object?>("reason", check == RecordingLinkCheck.Expired ? "expired" : "signature"));
        }

        return check;
    }

    private async Task<RecordingLinkCheck> CheckLinkAsync(Guid callId, string? expires, string? signature, CancellationToken cancellationToken)
    {
        if (!long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAt) || signature is null)
        {
            return RecordingLinkCheck.BadSignature;
        }

        var secret = await SecretAsync(cancellationToken).ConfigureAwait(false);
        if (!RecordingLinkSigner.Verify(secret, callId, expiresAt, signature))
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
