using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CallTracking.IntegrationTests.Infrastructure;
using Npgsql;

namespace CallTracking.IntegrationTests.Dashboard;

/// <summary>The dashboard's HTTP surface on the engine as a process: static files, sign-in sessions, the users CLI.</summary>
[Collection(SippCollection.Name)]
public sealed class DashboardHttpTests(DashboardEngineFixture fixture) : IClassFixture<DashboardEngineFixture>
{
    [Fact]
    public async Task Index_and_assets_are_served_with_their_content_types_security_headers_and_ETags()
    {
        using var index = await fixture.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal("text/html", index.Content.Headers.ContentType?.MediaType);
        var csp = index.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", index.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", index.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("/assets/js/app.js", await index.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var etag = index.Headers.ETag;
        Assert.NotNull(etag);
        Assert.True(index.Headers.CacheControl?.NoCache);

        using var revalidate = new HttpRequestMessage(HttpMethod.Get, "/");
        revalidate.Headers.IfNoneMatch.Add(etag);
        using var notModified = await fixture.Http.SendAsync(revalidate);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        foreach (var (path, type) in new[]
        {
            ("/assets/js/app.js", "text/javascript"),
            ("/assets/js/pages/board.js", "text/javascript"),
            ("/assets/app.css", "text/css"),
            ("/assets/logo.svg", "image/svg+xml"),
            ("/assets/icons.svg", "image/svg+xml"),
        })
        {
            using var asset = await fixture.Http.GetAsync(path);
            Assert.True(asset.StatusCode == HttpStatusCode.OK, path);
            Assert.Equal(type, asset.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(asset.Headers.ETag);
        }

        using var missing = await fixture.Http.GetAsync("/assets/js/nothing.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_session_token_from_signing_in_authenticates_the_REST_API_as_the_users_organisation_until_signed_out()
    {
        using var signIn = await SignInAsync("Alice", DashboardEngineFixture.Password);
        Assert.Equal(HttpStatusCode.Created, signIn.StatusCode);
        Assert.Equal("no-store", signIn.Headers.CacheControl?.ToString());
        using var body = JsonDocument.Parse(await signIn.Content.ReadAsStringAsync());
        var token = body.RootElement.GetProperty("token").GetString()!;
        Assert.StartsWith("cts_", token, StringComparison.Ordinal);
        var expires = body.RootElement.GetProperty("expires_at").GetDateTimeOffset();
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromHours(11.9), TimeSpan.FromHours(12.1));

        using (var organisations = await GetAsync("/v1/organisations", token))
        {
            Assert.Equal(HttpStatusCode.OK, organisations.StatusCode);
            var names = JsonDocument.Parse(await organisations.Content.ReadAsStringAsync()).RootElement.GetProperty("items")
                .EnumerateArray().Select(o => o.GetProperty("name").GetString()).ToList();
            Assert.Equal(["Acme"], names);
        }

        // Only the hash is stored.
        await using (var dataSource = NpgsqlDataSource.Create(fixture.Database))
        await using (var command = dataSource.CreateCommand("select count(*) from dashboard_sessions where token_hash = sha256(convert_to($1, 'UTF8'))"))
        {
            command.Parameters.Add(new() { Value = token });
            Assert.Equal(1L, (long)(await command.ExecuteScalarAsync())!);
        }

        using var signOut = new HttpRequestMessage(HttpMethod.Delete, "/dashboard/session");
        signOut.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using (var signedOut = await fixture.Http.SendAsync(signOut))
        {
            Assert.Equal(HttpStatusCode.NoContent, signedOut.StatusCode);
        }

        using var after = await GetAsync("/v1/organisations", token);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        using var forged = await GetAsync("/v1/organisations", "cts_" + new string('A', 43));
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
    }

    [Fact]
    public async Task Wrong_passwords_are_401_problems_and_after_five_the_user_is_throttled_with_429_even_with_the_right_one()
    {
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await SignInAsync("bob", "not the password");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType?.MediaType);
        }

        using var throttled = await SignInAsync("bob", DashboardEngineFixture.Password);
        Assert.Equal((HttpStatusCode)429, throttled.StatusCode);
        Assert.Equal("application/problem+json", throttled.Content.Headers.ContentType?.MediaType);
        Assert.True(throttled.Headers.RetryAfter?.Delta > TimeSpan.Zero);

        // An unknown user is refused the same way, and bad bodies are problems naming the member.
        using var unknown = await SignInAsync("nobody", "whatever-it-is");
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        using var invalid = await fixture.Http.PostAsync("/dashboard/session", new StringContent("""{ "username": "alice" }""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("password", await invalid.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var form = await fixture.Http.PostAsync("/dashboard/session", new StringContent("username=alice", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
    }

    [Fact]
    public async Task Users_CLI_stores_PBKDF2_hashes_refuses_duplicates_and_short_passwords_and_remove_ends_sessions()
    {
        await using (var dataSource = NpgsqlDataSource.Create(fixture.Database))
        await using (var command = dataSource.CreateCommand("select password_hash from dashboard_users where username = 'alice'"))
        {
            var stored = (string)(await command.ExecuteScalarAsync())!;
            Assert.StartsWith("pbkdf2-sha256$600000$", stored, StringComparison.Ordinal);
            Assert.DoesNotContain(DashboardEngineFixture.Password, stored, StringComparison.Ordinal);
        }

        var duplicate = await fixture.AddUserAsync("Acme", "ALICE", "another long password");
        Assert.Equal(78, duplicate.Code);
        Assert.Contains("already a user", duplicate.Err, StringComparison.Ordinal);
        var shortPassword = await fixture.AddUserAsync("Acme", "dave", "short");
        Assert.Equal(78, shortPassword.Code);
        var noOrganisation = await fixture.AddUserAsync("Nope", "erin", "a long enough password");
        Assert.Equal(78, noOrganisation.Code);
        var noInput = await EngineCli.RunWithInputAsync(fixture.Directory, fixture.Database, "", "users", "add", "Acme", "frank", "--password-stdin");
        Assert.NotEqual(0, noInput.Code);

        Assert.Equal(0, (await fixture.AddUserAsync("Other", "carol", "carols long password")).Code);
        var list = await EngineCli.RunAsync(fixture.Directory, fixture.Database, "users", "list");
        Assert.Equal(0, list.Code);
        Assert.Contains("alice", list.Out, StringComparison.Ordinal);
        Assert.Contains("carol", list.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("pbkdf2", list.Out, StringComparison.Ordinal);
        var onlyOther = await EngineCli.RunAsync(fixture.Directory, fixture.Database, "users", "list", "--org", "Other");
        Assert.DoesNotContain("alice", onlyOther.Out, StringComparison.Ordinal);

        using var signIn = await SignInAsync("carol", "carols long password");
        Assert.Equal(HttpStatusCode.Created, signIn.StatusCode);
        var token = JsonDocument.Parse(await signIn.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;
        using (var organisations = await GetAsync("/v1/organisations", token))
        {
            Assert.Contains("Other", await organisations.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var removed = await EngineCli.RunAsync(fixture.Directory, fixture.Database, "users", "remove", "carol");
        Assert.Equal(0, removed.Code);
        using var after = await GetAsync("/v1/organisations", token);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal(78, (await EngineCli.RunAsync(fixture.Directory, fixture.Database, "users", "remove", "carol")).Code);
    }

    [Fact]
    public async Task A_quiet_event_stream_over_grpc_web_sends_its_headers_at_once_for_a_session_token_and_an_API_key()
    {
        // alice: bob is throttled by the wrong-password test.
        using var signIn = await SignInAsync("alice", DashboardEngineFixture.Password);
        Assert.Equal(HttpStatusCode.Created, signIn.StatusCode);
        var session = JsonDocument.Parse(await signIn.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;
        foreach (var bearer in new[] { session, fixture.ApiKey })
        {
            // An empty SubscribeRequest in one gRPC-Web frame (flag 0, length 0). No call is placed: no event comes,
            // yet the headers must, or a browser's fetch() never resolves and the board never shows it is live.
            using var request = new HttpRequestMessage(HttpMethod.Post, "/calltracking.v1.CallEvents/Subscribe")
            {
                Content = new ByteArrayContent(new byte[5]),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc-web+proto");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            request.Headers.Add("x-grpc-web", "1");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            using var response = await fixture.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            // PROTOCOL-WEB.md: application/grpc-web means the +proto format.
            Assert.Contains(response.Content.Headers.ContentType?.MediaType, new[] { "application/grpc-web", "application/grpc-web+proto" });
            Assert.False(response.Headers.Contains("grpc-status"), "a trailers-only answer: the stream was refused");
        }
    }

    private Task<HttpResponseMessage> SignInAsync(string username, string password) =>
        fixture.Http.PostAsJsonAsync("/dashboard/session", new { username, password });

    private async Task<HttpResponseMessage> GetAsync(string path, string bearer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return await fixture.Http.SendAsync(request);
    }
}
