using System.Diagnostics.Metrics;
using CallTracking.Engine.Storage;
using CallTracking.Engine.Tracking.Dni;
using CallTracking.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CallTracking.IntegrationTests.Dni;

/// <summary>
/// Number pools against a real PostgreSQL with a clock the test moves: a pool of N serves N visitors at once and the
/// next gets the fallback (and pool.exhausted); leases expire, numbers rest through the cool-down; concurrent
/// allocation never lets two sessions hold one number; calls are matched to the session that held the number.
/// </summary>
public sealed class DniPoolTests(PostgresServer server) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    private const string Fallback = "+15557000999";

    private readonly FrozenTime _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private NpgsqlDataSource _dataSource = null!;
    private ServiceProvider _services = null!;
    private Guid _organisation;

    public async Task InitializeAsync()
    {
        _dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(await server.CreateDatabaseAsync()) { MaxPoolSize = 60 }.ConnectionString);
        await new MigrationRunner(_dataSource, NullLogger<MigrationRunner>.Instance).ApplyAsync(CancellationToken.None);
        _organisation = (Guid)(await ScalarAsync("INSERT INTO organisations (name) VALUES ('Acme') RETURNING id"))!;
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _dataSource.DisposeAsync();
    }

    [Fact]
    public async Task N_plus_one_visitors_at_once_on_a_pool_of_N_get_N_different_numbers_and_the_last_the_fallback()
    {
        const int size = 4;
        var (store, site, pool) = await PoolSiteAsync("n-plus-one", size, leaseSeconds: 1800, cooldownSeconds: 600);

        var visits = await Task.WhenAll(Enumerable.Range(0, size + 1).Select(i => store.VisitAsync(site, $"visitor-{i:D4}", null, Touch(), "127.0.0.1", CancellationToken.None)));

        var pooled = visits.Where(v => v!.Assignment == "pool").ToList();
        Assert.Equal(size, pooled.Count);
        Assert.Equal(size, pooled.Select(v => v!.Number).Distinct().Count());
        var fallback = Assert.Single(visits, v => v!.Assignment == "unassigned")!;
        Assert.Equal(Fallback, fallback.Number);
        Assert.Equal("unassigned", (string)(await ScalarAsync("SELECT assignment FROM dni_sessions WHERE id = $1", fallback.SessionId))!);

        // The operator is told: one pool.exhausted event, utilisation 100%, and the API's figure says the same.
        Assert.Equal(
            $"{fallback.SessionId}|{size}|1",
            await ScalarAsync("SELECT string_agg((payload->>'sessionId') || '|' || (payload->>'numbers') || '|' || (payload->>'utilisation'), ',') FROM events WHERE kind = 'pool.exhausted' AND payload->>'poolId' = $1", pool.ToString()));
        var utilisation = (await store.UtilisationAsync(pool, [_organisation], 60, null, CancellationToken.None))!;
        Assert.Equal((size, size, 0, 1.0), (utilisation.Numbers, utilisation.Leased, utilisation.CoolingDown, utilisation.Utilisation));
        Assert.Equal(48, utilisation.RecommendedNumbers);
    }

    [Fact]
    public async Task A_lease_lives_while_heartbeats_come_expires_without_them_and_its_number_rests_through_the_cool_down()
    {
        var (store, site, pool) = await PoolSiteAsync("expiry", 1, leaseSeconds: 60, cooldownSeconds: 120);
        var start = _time.GetUtcNow();
        At(start);
        var alice = (await store.VisitAsync(site, "visitor-alice", null, Touch(), null, CancellationToken.None))!;
        Assert.Equal("pool", alice.Assignment);
        var number = alice.Number!;

        At(start.AddSeconds(30));
        var bob = (await store.VisitAsync(site, "visitor-bob01", null, Touch(), null, CancellationToken.None))!;
        Assert.Equal(("unassigned", Fallback), (bob.Assignment, bob.Number));

        // Alice's heartbeat at +50 s extends her lease to +110 s.
        At(start.AddSeconds(50));
        var beat = (await store.VisitAsync(site, "visitor-alice", alice.SessionId, null, null, CancellationToken.None))!;
        Assert.Equal((number, start.AddSeconds(110)), (beat.Number, beat.LeaseExpiresAt));

        // +100 s: still hers (without the heartbeat it would have expired at +60 s).
        At(start.AddSeconds(100));
        Assert.Equal("unassigned", (await store.VisitAsync(site, "visitor-bob01", null, Touch(), null, CancellationToken.None))!.Assignment);

        // +111 s: expired, but resting until +230 s.
        At(start.AddSeconds(111));
        Assert.Null(await store.VisitAsync(site, "visitor-alice", alice.SessionId, null, null, CancellationToken.None));
        Assert.Equal("unassigned", (await store.VisitAsync(site, "visitor-bob01", null, Touch(), null, CancellationToken.None))!.Assignment);
        At(start.AddSeconds(229));
        Assert.Equal("unassigned", (await store.VisitAsync(site, "visitor-bob01", null, Touch(), null, CancellationToken.None))!.Assignment);

        // +231 s: the cool-down is over and Bob's page gets the number.
        At(start.AddSeconds(231));
        var bobLater = (await store.VisitAsync(site, "visitor-bob01", null, Touch(), null, CancellationToken.None))!;
        Assert.Equal(("pool", number), (bobLater.Assignment, bobLater.Number));

        // Calls to the number: during Alice's lease exact, in her cool-down recent, during Bob's lease exact to Bob.
        Assert.Equal(("exact", alice.SessionId), await CallAsync(number, start.AddSeconds(100)));
        Assert.Equal(("recent", alice.SessionId), await CallAsync(number, start.AddSeconds(200)));
        Assert.Equal(("exact", bobLater.SessionId), await CallAsync(number, start.AddSeconds(240)));

        // Long after everything: nobody to attribute to.
        Assert.Equal((null, null), await CallAsync(number, start.AddHours(5)));

        // An operator raising the cool-down makes Alice's and Bob's windows overlap for a call after Bob's lease: ambiguous.
        await ScalarAsync("UPDATE dni_pools SET cooldown_seconds = 3600 WHERE id = $1", pool);
        Assert.Equal(("ambiguous", bobLater.SessionId), await CallAsync(number, start.AddSeconds(400)));
    }

    [Fact]
    public async Task Concurrent_visitors_hammering_a_small_pool_never_share_a_number_and_respect_the_cool_down()
    {
        const int cooldown = 60;
        var (store, site, _) = await PoolSiteAsync("hammer", 5, leaseSeconds: 60, cooldownSeconds: cooldown);
        var start = _time.GetUtcNow();
        var live = new List<DniAssignment>();
        var random = new Random(7);
        for (var round = 0; round < 8; round++)
        {
            At(start.AddSeconds(round * 45));
            var newcomers = Enumerable.Range(0, 12).Select(i => store.VisitAsync(site, $"v-{round:D2}-{i:D3}-x", null, Touch(), null, CancellationToken.None));
            var beats = live.Where(_ => random.Next(2) == 0).Select(a => store.VisitAsync(site, a.VisitorId, a.SessionId, null, null, CancellationToken.None));
            var results = await Task.WhenAll(newcomers.Concat(beats));
            live = [.. results.OfType<DniAssignment>().Where(r => r.Assignment == "pool")];

            // At any moment the numbers shown by pool sessions are all different.
            Assert.Equal(live.Count, live.Select(a => a.Number).Distinct().Count());
        }

        // Over the whole history: no two leases of one number overlap, and between two sessions' leases of one number
        // there is at least the cool-down.
        var overlaps = await ScalarAsync(
            """
            SELECT count(*) FROM dni_leases a JOIN dni_leases b ON a.tracking_number_id = b.tracking_number_id AND a.id < b.id
            WHERE tstzrange(a.leased_at, least(coalesce(a.released_at, 'infinity'), a.expires_at))
               && tstzrange(b.leased_at, least(coalesce(b.released_at, 'infinity'), b.expires_at))
            """);
        Assert.Equal(0L, overlaps);
        var rested = await ScalarAsync(
            """
            SELECT count(*) FROM dni_leases a JOIN dni_leases b ON a.tracking_number_id = b.tracking_number_id AND a.id <> b.id AND a.session_id <> b.session_id
            WHERE b.leased_at >= a.leased_at AND b.leased_at < least(coalesce(a.released_at, 'infinity'), a.expires_at) + make_interval(secs => $1)
            """,
            cooldown);
        Assert.Equal(0L, rested);
        Assert.True((long)(await ScalarAsync("SELECT count(*) FROM dni_leases"))! >= 10, "the test should have made many leases");
    }

    [Fact]
    public async Task A_static_source_number_is_attributed_static_with_the_source_name_and_utms()
    {
        var (store, site, _) = await PoolSiteAsync("static", 1, 1800, 600);
        var number = await NumberAsync("+15557100001");
        await ScalarAsync(
            "INSERT INTO dni_sources (organisation_id, site_id, name, priority, match_kind, match_utm_source, match_utm_medium, tracking_number_id) VALUES ($1, $2, 'Newsletter', 1, 'utm', 'newsletter', 'email', $3)",
            _organisation, site.Id, number);
        var visit = (await store.VisitAsync(site, "visitor-news", null, new VisitorTouch { LandingPage = "https://shop.example/?utm_source=newsletter&utm_medium=email" }.WithLandingParameters(), null, CancellationToken.None))!;
        Assert.Equal(("static", "+15557100001"), (visit.Assignment, visit.Number));

        var records = new CallRecordStore(_dataSource) { Attribution = CallAttributor.AttributeAsync };
        var callId = await records.StartCallAsync(new CallStarted(_organisation, "+15557100001", "sip-static", _time.GetUtcNow()) { TrackingNumberId = number }, CancellationToken.None);
        Assert.Equal("static|Newsletter|newsletter|email", await ScalarAsync("SELECT confidence || '|' || source_name || '|' || utm_source || '|' || utm_medium FROM call_attributions WHERE call_id = $1", callId));
        Assert.Equal(
            "call.started,call.attributed",
            await ScalarAsync("SELECT string_agg(kind, ',' ORDER BY id) FROM events WHERE call_id = $1", callId));
    }

    private void At(DateTimeOffset when) => _time.Now = when;

    private static VisitorTouch Touch() => new VisitorTouch { LandingPage = "https://shop.example/?gclid=G1&utm_source=google", UserAgent = "test" }.WithLandingParameters();

    /// <summary>Starts a call to <paramref name="number"/> at <paramref name="at"/> through the call record; returns its attribution.</summary>
    private async Task<(string? Confidence, Guid? Session)> CallAsync(string number, DateTimeOffset at)
    {
        var records = new CallRecordStore(_dataSource) { Attribution = CallAttributor.AttributeAsync };
        var callId = await records.StartCallAsync(new CallStarted(_organisation, number, "sip-" + Guid.NewGuid(), at), CancellationToken.None);
        await using var command = _dataSource.CreateCommand("SELECT confidence, session_id FROM call_attributions WHERE call_id = $1");
        command.Parameters.Add(new() { Value = callId });
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetString(0), reader.GetGuid(1)) : (null, null);
    }

    /// <summary>A site whose one source ("all visitors") takes numbers from a new pool of <paramref name="size"/>, with the fallback number.</summary>
    private async Task<(DniStore Store, DniSite Site, Guid Pool)> PoolSiteAsync(string name, int size, int leaseSeconds, int cooldownSeconds)
    {
        var fallback = (Guid?)await ScalarAsync("SELECT id FROM tracking_numbers WHERE number = $1", Fallback) ?? await NumberAsync(Fallback);
        var pool = (Guid)(await ScalarAsync(
            "INSERT INTO dni_pools (organisation_id, name, fallback_number_id, lease_seconds, cooldown_seconds) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            _organisation, name, fallback, leaseSeconds, cooldownSeconds))!;
        var prefix = Math.Abs(name.GetHashCode(StringComparison.Ordinal)) % 900 + 100;
        for (var i = 0; i < size; i++)
        {
            var number = await NumberAsync($"+1555{prefix}{i:D4}");
            await ScalarAsync("INSERT INTO dni_pool_numbers (tracking_number_id, pool_id) VALUES ($1, $2)", number, pool);
        }

        var site = (Guid)(await ScalarAsync(
            "INSERT INTO dni_sites (organisation_id, name, public_key, secret_hash, swap_numbers) VALUES ($1, $2, $3, $4, '{+15550001000}') RETURNING id",
            _organisation, name, DniStore.NewPublicKey(), DniStore.HashSecret(DniStore.NewSecret())))!;
        await ScalarAsync("INSERT INTO dni_sources (organisation_id, site_id, name, priority, match_kind, pool_id) VALUES ($1, $2, 'Everyone', 100, 'all', $3)", _organisation, site, pool);
        var store = new DniStore(_dataSource, new CallRecordStore(_dataSource), _time, _services.GetRequiredService<IMeterFactory>(), NullLogger<DniStore>.Instance);
        return (store, new DniSite(site, _organisation, name, [], ["+15550001000"], 60), pool);
    }

    private async Task<Guid> NumberAsync(string number) =>
        (Guid)(await ScalarAsync("INSERT INTO tracking_numbers (number, organisation_id) VALUES ($1, $2) RETURNING id", number, _organisation))!;

    private async Task<object?> ScalarAsync(string sql, params object[] values)
    {
        await using var command = _dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new() { Value = value });
        }

        var result = await command.ExecuteScalarAsync();
        return result is DBNull ? null : result;
    }
}
