using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CallTracking.Engine.Api;
using CallTracking.Engine.Security;
using CallTracking.IntegrationTests.Infrastructure;
using CallTracking.IntegrationTests.Infrastructure.GrpcPeers;
using Npgsql;

namespace CallTracking.IntegrationTests.AccessControl;

/// <summary>Signed links, the audit trail and the role matrix against the engine as a process (see <see cref="AccessControlFixture"/>).</summary>
public sealed class AccessControlTests(AccessControlFixture fixture) : IClassFixture<AccessControlFixture>
{
    private static readonly Dictionary<string, Role> Roles = new(StringComparer.Ordinal)
    {
        ["agency_admin"] = Role.AgencyAdmin,
        ["org_admin"] = Role.OrgAdmin,
        ["manager"] = Role.Manager,
        ["analyst"] = Role.Analyst,
        ["agent"] = Role.Agent,
    };

    [Fact]
    public async Task A_signed_link_works_in_time_and_fails_altered_in_any_byte_after_expiry_and_for_another_organisation()
    {
        var link = await GrpcAsync("/calltracking.v1.Calls/GetRecordingLink", fixture.Keys["org_admin"], $$"""{"call_id":"{{fixture.AgentCall}}"}""");
        Assert.True(link.Status == "OK", link.Describe());
        var url = link.Messages[0].GetProperty("url").GetString()!;
        Assert.Contains($"org={fixture.Alpha}", url, StringComparison.Ordinal);

        using var client = new HttpClient();
        Assert.Equal(fixture.Recording, await client.GetByteArrayAsync(new Uri(url)));

        // Every byte of the path and query changed to another character of the same kind: refused (403, or 404 when
        // the path no longer names the endpoint), never the recording.
        var uri = new Uri(url);
        var origin = uri.GetLeftPart(UriPartial.Authority);
        var rest = uri.PathAndQuery;
        for (var i = 1; i < rest.Length; i++)
        {
            var c = rest[i];
            var altered = char.IsAsciiDigit(c) ? (char)('0' + ((c - '0' + 1) % 10))
                : char.IsAsciiLetterLower(c) ? (c == 'z' ? 'a' : (char)(c + 1))
                : char.IsAsciiLetterUpper(c) ? (c == 'Z' ? 'A' : (char)(c + 1))
                : c == '-' ? '_' : c == '_' ? '-' : 'x';
            using var response = await client.GetAsync(new Uri(origin + rest[..i] + altered + rest[(i + 1)..]));
            Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"byte {i} ('{c}' → '{altered}'): {(int)response.StatusCode}");
        }

        // A hex letter in upper case names the same call and organisation, but is not the link that was signed.
        using (var upper = await client.GetAsync(new Uri(url.Replace($"org={fixture.Alpha}", $"org={fixture.Alpha.ToString().ToUpperInvariant()}", StringComparison.Ordinal))))
        {
            Assert.Equal(HttpStatusCode.Forbidden, upper.StatusCode);
        }

        // Another organisation: a genuine signature (the engine's own secret) for Beta on Alpha's call is refused by
        // the binding check, and Alpha's link pointed at Beta's call by the signature.
        var secret = await fixture.ScalarAsync<byte[]>("select secret from signing_keys where purpose = 'recording-links'");
        var expires = long.Parse(System.Web.HttpUtility.ParseQueryString(uri.Query)["expires"]!, CultureInfo.InvariantCulture);
        var forBeta = SignedLinkSigner.Sign(secret, SignedLinkSigner.RecordingPurpose, fixture.AgentCall.ToString("D"), fixture.Beta, expires);
        using (var crossed = await client.GetAsync(new Uri($"{origin}/recordings/{fixture.AgentCall}?org={fixture.Beta}&expires={expires}&sig={forBeta}")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, crossed.StatusCode);
        }

        using (var moved = await client.GetAsync(new Uri(url.Replace(fixture.AgentCall.ToString(), fixture.BetaCall.ToString(), StringComparison.Ordinal))))
        {
            Assert.Equal(HttpStatusCode.Forbidden, moved.StatusCode);
        }

        // Still in time: the untouched link still plays (the refusals above were not its expiry).
        using (var again = await client.GetAsync(new Uri(url)))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        var wait = DateTimeOffset.FromUnixTimeSeconds(expires) - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(1200);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        using var expired = await client.GetAsync(new Uri(url));
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
        Assert.Contains("expired", await expired.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var downloads = await fixture.ScalarAsync<long>("select count(*) from audit_log where action = 'recording.link_download' and subject = $1", "call:" + fixture.AgentCall);
        Assert.Equal(2, downloads);
    }

    [Fact]
    public async Task Audit_verify_passes_on_a_real_history_and_fails_when_a_row_is_changed_or_removed_in_the_database()
    {
        // A real history: playback, transcript views (REST and gRPC), a configuration change, sign-ins, keys.
        using (var recording = await SendAsync(HttpMethod.Get, $"v1/calls/{fixture.AgentCall}/recording", fixture.Keys["org_admin"]))
        {
            Assert.Equal(HttpStatusCode.OK, recording.StatusCode);
        }

        using (var transcript = await SendAsync(HttpMethod.Get, $"v1/calls/{fixture.AgentCall}/transcript", fixture.Keys["analyst"]))
        {
            Assert.Equal(HttpStatusCode.OK, transcript.StatusCode);
        }

        Assert.Equal("OK", (await GrpcAsync("/calltracking.v1.Calls/GetTranscript", fixture.Keys["manager"], $$"""{"call_id":"{{fixture.AgentCall}}"}""")).Status);
        using (var created = await SendAsync(HttpMethod.Post, "v1/campaigns", fixture.Keys["manager"], """{"name":"Audited"}"""))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using (var signIn = await fixture.Http.PostAsync("dashboard/session", new StringContent("""{"username":"nobody","password":"wrong password"}""", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
        }

        var actions = await ActionsAsync();
        foreach (var expected in new[] { "api_key.create", "recording.download", "transcript.view", "configuration.change", "session.sign_in_failed" })
        {
            Assert.Contains(expected, actions);
        }

        await AssertVerifyAsync(intact: true);

        // Not through SQL: the trigger refuses changes and removals.
        var refused = await Assert.ThrowsAsync<PostgresException>(() => PostgresServer.ExecuteAsync(fixture.Database, "update audit_log set actor = 'someone else' where seq = 2"));
        Assert.Contains("append-only", refused.MessageText, StringComparison.Ordinal);
        await Assert.ThrowsAsync<PostgresException>(() => PostgresServer.ExecuteAsync(fixture.Database, "delete from audit_log where seq = 2"));

        // As a superuser bypassing the trigger (session_replication_role = replica skips it): changed, then removed.
        var original = await fixture.ScalarAsync<string>("select actor from audit_log where seq = 2");
        await AsSuperuserAsync("update audit_log set actor = 'cli:mallory' where seq = 2");
        var changed = await AssertVerifyAsync(intact: false);
        Assert.Contains("entry 2 was changed", changed, StringComparison.Ordinal);
        await AsSuperuserAsync($"update audit_log set actor = '{original}' where seq = 2");
        await AssertVerifyAsync(intact: true);

        await AsSuperuserAsync("create table audit_saved as select * from audit_log where seq = 3; delete from audit_log where seq = 3");
        var removed = await AssertVerifyAsync(intact: false);
        Assert.Contains("entry 3 is missing", removed, StringComparison.Ordinal);
        await AsSuperuserAsync("insert into audit_log select * from audit_saved; drop table audit_saved");
        await AssertVerifyAsync(intact: true);

        // Reordered: two entries swap their contents (sequence numbers stay).
        await AsSuperuserAsync("""
            create table audit_saved as select * from audit_log where seq in (4, 5);
            update audit_log a set occurred_at = s.occurred_at, actor = s.actor, organisation_id = s.organisation_id, action = s.action,
                subject = s.subject, details = s.details, prev_hash = s.prev_hash, hash = s.hash
            from audit_saved s where (a.seq = 4 and s.seq = 5) or (a.seq = 5 and s.seq = 4)
            """);
        var reordered = await AssertVerifyAsync(intact: false);
        Assert.Contains("entry 4", reordered, StringComparison.Ordinal);
        await AsSuperuserAsync("""
            update audit_log a set occurred_at = s.occurred_at, actor = s.actor, organisation_id = s.organisation_id, action = s.action,
                subject = s.subject, details = s.details, prev_hash = s.prev_hash, hash = s.hash
            from audit_saved s where a.seq = s.seq;
            drop table audit_saved
            """);
        await AssertVerifyAsync(intact: true);

        // Admins read it over REST; a manager may not.
        using var list = await SendAsync(HttpMethod.Get, "v1/audit?limit=1000", fixture.Keys["org_admin"]);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        using var body = JsonDocument.Parse(await list.Content.ReadAsStringAsync());
        Assert.Contains(body.RootElement.GetProperty("items").EnumerateArray(), e => e.GetProperty("action").GetString() == "transcript.view");
        using var manager = await SendAsync(HttpMethod.Get, "v1/audit", fixture.Keys["manager"]);
        Assert.Equal(HttpStatusCode.Forbidden, manager.StatusCode);

        var listed = await EngineCli.RunAsync(fixture.Directory, fixture.Database, "audit", "list", "--action", "transcript.view");
        Assert.True(listed.Code == 0, listed.Err);
        Assert.Contains("call:" + fixture.AgentCall, listed.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_role_against_every_REST_endpoint_is_allowed_or_denied_as_the_policy_table_says()
    {
        var failures = new List<string>();
        foreach (var (endpoint, _) in AccessPolicy.Table.Where(e => e.Key.Contains(' ', StringComparison.Ordinal)))
        {
            var method = endpoint[..endpoint.IndexOf(' ', StringComparison.Ordinal)];
            var path = endpoint[(method.Length + 1)..].Replace("{id:guid}", Guid.NewGuid().ToString(), StringComparison.Ordinal).TrimStart('/');
            foreach (var (name, role) in Roles)
            {
                // A body that is never valid: an allowed write is refused for its content (400/404), never carried out.
                using var response = await SendAsync(new HttpMethod(method), path, fixture.Keys[name], method is "POST" or "PUT" or "PATCH" ? """{"name": 5}""" : null);
                var allowed = AccessPolicy.Allows(endpoint, role);
                var status = (int)response.StatusCode;
                if (allowed ? status is 401 or 403 : status != 403)
                {
                    failures.Add($"{name} {endpoint}: {status}, expected {(allowed ? "allowed" : "403")}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task Every_role_against_every_gRPC_method_is_allowed_or_denied_as_the_policy_table_says()
    {
        var cases = AccessPolicy.Table.Keys.Where(k => k.StartsWith('/')).SelectMany(m => Roles.Select(r => (Method: m, Role: r))).ToList();
        var failures = new List<string>();
        using var gate = new SemaphoreSlim(4);
        await Task.WhenAll(cases.Select(async c =>
        {
            await gate.WaitAsync();
            try
            {
                var streaming = c.Method.EndsWith("/Subscribe", StringComparison.Ordinal);
                var request = streaming || c.Method.EndsWith("/ListCalls", StringComparison.Ordinal) ? "{}" : $$"""{"call_id":"{{Guid.NewGuid()}}"}""";
                var result = await GrpcAsync(c.Method, fixture.Keys[c.Role.Key], request, streaming ? TimeSpan.FromSeconds(2) : null);
                var allowed = AccessPolicy.Allows(c.Method, c.Role.Value);
                var denied = result.Status is "PERMISSION_DENIED" or "UNAUTHENTICATED";
                if (!result.Completed || allowed == denied)
                {
                    lock (failures)
                    {
                        failures.Add($"{c.Role.Key} {c.Method}: {result.Status} {result.StatusDetails}, expected {(allowed ? "allowed" : "PERMISSION_DENIED")}");
                    }
                }
            }
            finally
            {
                gate.Release();
            }
        }));
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task An_agent_sees_only_calls_bridged_to_them_and_an_analyst_hears_no_audio()
    {
        using var list = await SendAsync(HttpMethod.Get, "v1/calls", fixture.Keys["agent"]);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        using var body = JsonDocument.Parse(await list.Content.ReadAsStringAsync());
        var ids = body.RootElement.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ToList();
        Assert.Equal([fixture.AgentCall], ids);
        using (var other = await SendAsync(HttpMethod.Get, $"v1/calls/{fixture.OtherCall}", fixture.Keys["agent"]))
        {
            Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        }

        using (var own = await SendAsync(HttpMethod.Get, $"v1/calls/{fixture.AgentCall}/recording", fixture.Keys["agent"]))
        {
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        }

        using (var analyst = await SendAsync(HttpMethod.Get, $"v1/calls/{fixture.AgentCall}/recording", fixture.Keys["analyst"]))
        {
            Assert.Equal(HttpStatusCode.Forbidden, analyst.StatusCode);
        }

        // Only an agency admin sees the clients; an organisation admin of the agency would not.
        using var agency = await SendAsync(HttpMethod.Get, "v1/calls", fixture.Keys["agency_admin"]);
        using var agencyBody = JsonDocument.Parse(await agency.Content.ReadAsStringAsync());
        Assert.Equal(2, agencyBody.RootElement.GetProperty("items").GetArrayLength());
    }

    private async Task<string> AssertVerifyAsync(bool intact)
    {
        var verify = await EngineCli.RunAsync(fixture.Directory, fixture.Database, "audit", "verify");
        Assert.True(intact ? verify.Code == 0 : verify.Code == 65, $"exit {verify.Code}\n{verify.Out}\n{verify.Err}");
        Assert.Contains(intact ? "audit trail intact" : "audit trail BROKEN", verify.Out, StringComparison.Ordinal);
        return verify.Out;
    }

    private async Task AsSuperuserAsync(string sql) =>
        await PostgresServer.ExecuteAsync(fixture.Database, "set session_replication_role = replica; " + sql + "; reset session_replication_role");

    private async Task<List<string>> ActionsAsync()
    {
        await using var dataSource = NpgsqlDataSource.Create(fixture.Database);
        await using var command = dataSource.CreateCommand("select distinct action from audit_log");
        await using var reader = await command.ExecuteReaderAsync();
        var actions = new List<string>();
        while (await reader.ReadAsync())
        {
            actions.Add(reader.GetString(0));
        }

        return actions;
    }

    private Task<GrpcPeerResult> GrpcAsync(string method, string key, string request, TimeSpan? cancelAfter = null) =>
        PythonGrpc.CallAsync(
            new GrpcClientCall
            {
                Target = fixture.GrpcTarget,
                ProtoRoot = GrpcPeerPaths.EngineProtoRoot,
                Method = method,
                RequestJson = request,
                Metadata = [new("authorization", "Bearer " + key)],
                CancelAfter = cancelAfter,
                Timeout = TimeSpan.FromSeconds(20),
            },
            fixture.Directory);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string key, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await fixture.Http.SendAsync(request);
    }
}
