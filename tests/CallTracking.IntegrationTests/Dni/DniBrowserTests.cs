using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CallTracking.IntegrationTests.Infrastructure;
using CallTracking.IntegrationTests.Infrastructure.Browser;
using CallTracking.IntegrationTests.Sip;
using Npgsql;
using Xunit.Abstractions;

namespace CallTracking.IntegrationTests.Dni;

/// <summary>
/// Dynamic number insertion end to end with nothing standing in: the pool, site and source are made through the
/// REST API; a demo landing page on its own origin includes /dni.js in headless Chromium; sipp calls the number the
/// page showed, and the call is attributed to the page's session.
/// </summary>
[Collection(SippCollection.Name)]
public sealed class DniBrowserTests(DniEngineFixture fixture, ITestOutputHelper output) : IClassFixture<DniEngineFixture>
{
    [Fact]
    public async Task A_landing_page_shows_a_pool_number_its_session_keeps_the_utms_and_gclid_and_a_call_to_it_is_attributed_exact()
    {
        var directory = TestDirectory.Create();
        var pagePort = FreePorts.Next();
        var origin = $"http://127.0.0.1:{pagePort}";
        var (siteId, siteKey, _) = await SiteAsync("Landing " + pagePort, origin, "landing-pool-" + pagePort, DniEngineFixture.PoolNumbers);

        var resultFile = directory.File("dni-result.json");
        var result = await BrowserScript.RunAsync(
            directory,
            "tests/CallTracking.IntegrationTests/Dni/browser/dni-landing-page.cjs",
            [],
            new Dictionary<string, string>
            {
                ["DNI_ENGINE_URL"] = fixture.BaseAddress.ToString(),
                ["DNI_SITE_KEY"] = siteKey,
                ["DNI_PAGE_PORT"] = pagePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["DNI_RESULT_FILE"] = resultFile,
            });
        Assert.True(result.Succeeded, result + Environment.NewLine + fixture.Engine.LogTail(30));

        using var seen = JsonDocument.Parse(await File.ReadAllTextAsync(resultFile));
        var page = seen.RootElement;
        var number = page.GetProperty("number").GetString()!;
        Assert.Contains(number, DniEngineFixture.PoolNumbers);
        Assert.Equal("pool", page.GetProperty("assignment").GetString());
        var national = number[2..];
        var printed = $"({national[..3]}) {national[3..6]}-{national[6..]}";

        // Text in the page's own format, the tel: link, its text, and content inserted after load; the fax stays.
        Assert.Equal($"Call us on {printed} today.", page.GetProperty("text").GetString());
        Assert.Equal("tel:" + number, page.GetProperty("tel").GetString());
        Assert.Equal($"+1 {national[..3]}.{national[3..6]}.{national[6..]}", page.GetProperty("telText").GetString());
        Assert.Equal("Fax: (415) 555-0199", page.GetProperty("other").GetString());
        Assert.Equal($"Or ring {national[..3]}-{national[3..6]}-{national[6..]}", page.GetProperty("popup").GetString());
        Assert.Equal("tel:" + number, page.GetProperty("popupTel").GetString());
        var sessionId = Guid.Parse(page.GetProperty("sessionId").GetString()!);
        var visitorId = page.GetProperty("visitorId").GetString()!;
        Assert.Contains("_ctvid=" + visitorId, page.GetProperty("cookie").GetString(), StringComparison.Ordinal);

        // The session row carries the page's values.
        await using var connection = new NpgsqlConnection(fixture.Database);
        await connection.OpenAsync();
        await using (var session = new NpgsqlCommand(
            "SELECT site_id, visitor_id, assignment, number, utm_source, utm_medium, utm_campaign, utm_term, utm_content, gclid, landing_page, user_agent, first_touch->>'gclid' FROM dni_sessions WHERE id = $1",
            connection))
        {
            session.Parameters.Add(new() { Value = sessionId });
            await using var reader = await session.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync(), "no session row");
            Assert.Equal(siteId, reader.GetGuid(0));
            Assert.Equal((visitorId, "pool", number), (reader.GetString(1), reader.GetString(2), reader.GetString(3)));
            Assert.Equal(("google", "cpc", "spring-sale", "emergency plumber", "ad-1"), (reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetString(7), reader.GetString(8)));
            Assert.Equal("TeSt-GcLiD-123", reader.GetString(9));
            Assert.StartsWith($"{origin}/landing?utm_source=google", reader.GetString(10), StringComparison.Ordinal);
            Assert.Equal("CallTrackingDniTest/1.0 (Chromium)", reader.GetString(11));
            Assert.Equal("TeSt-GcLiD-123", reader.GetString(12));
        }

        // sipp calls the number the page showed.
        var uac = await Sipp.RunAsync(directory, SippAgainstEngine.At(fixture.Engine, new SippOptions
        {
            Name = "caller",
            BuiltIn = "uac",
            Service = number,
            Calls = 1,
            Timeout = TimeSpan.FromSeconds(30),
        }));
        SippAgainstEngine.AssertAllCallsSucceeded(uac, 1, fixture.Engine);

        // The call record writer commits call.started (and the attribution with it) after sipp has seen its 200 OK.
        await WaitForCallRowAsync(connection, uac.Messages[0].CallId!);

        Guid callId;
        await using (var call = new NpgsqlCommand(
            """
            SELECT c.id, a.confidence, a.session_id, a.visitor_id, a.gclid, a.utm_campaign, a.source_name
            FROM calls c JOIN call_attributions a ON a.call_id = c.id WHERE c.sip_call_id = $1
            """,
            connection))
        {
            call.Parameters.Add(new() { Value = uac.Messages[0].CallId });
            await using var reader = await call.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync(), "the call has no attribution" + Environment.NewLine + fixture.Engine.LogTail(30));
            callId = reader.GetGuid(0);
            Assert.Equal(("exact", sessionId, visitorId), (reader.GetString(1), reader.GetGuid(2), reader.GetString(3)));
            Assert.Equal(("TeSt-GcLiD-123", "spring-sale", "Google Ads"), (reader.GetString(4), reader.GetString(5), reader.GetString(6)));
        }

        // The API shows it on the call, and call.attributed follows call.started.
        using var api = await fixture.Http.GetFromJsonAsync<JsonDocument>($"/v1/calls/{callId}");
        var attribution = api!.RootElement.GetProperty("attribution");
        Assert.Equal(("exact", sessionId.ToString(), "TeSt-GcLiD-123"), (attribution.GetProperty("confidence").GetString(), attribution.GetProperty("session_id").GetString(), attribution.GetProperty("gclid").GetString()));
        await using (var events = new NpgsqlCommand("SELECT string_agg(kind, ',' ORDER BY id) FROM events WHERE call_id = $1 AND kind IN ('call.started', 'call.attributed')", connection))
        {
            events.Parameters.Add(new() { Value = callId });
            Assert.Equal("call.started,call.attributed", await events.ExecuteScalarAsync());
        }

        output.WriteLine($"page showed {number} for session {sessionId}; call {callId} attributed exact");
    }

    [Fact]
    public async Task The_public_endpoints_refuse_other_origins_unknown_keys_and_bad_bodies_with_problems_and_serve_a_cacheable_script()
    {
        var (_, siteKey, secret) = await SiteAsync("Checks", "https://shop.example", null, []);
        using var client = new HttpClient { BaseAddress = fixture.BaseAddress };

        // The script: cacheable, revalidated by its ETag.
        using var script = await client.GetAsync("/dni.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType!.MediaType);
        Assert.Contains("max-age=300", script.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        using var revalidate = new HttpRequestMessage(HttpMethod.Get, "/dni.js");
        revalidate.Headers.TryAddWithoutValidation("If-None-Match", script.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(revalidate)).StatusCode);

        const string visit = """{"visitor_id":"visitor-0001","landing_page":"https://shop.example/?gclid=X"}""";
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(client, $"/dni/v1/sessions?key={siteKey}", visit, "https://evil.example")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(client, "/dni/v1/sessions?key=dpk_nosuchkey", visit, "https://shop.example")).StatusCode);

        using var allowed = await PostAsync(client, $"/dni/v1/sessions?key={siteKey}", visit, "https://shop.example");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("https://shop.example", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        using (var body = JsonDocument.Parse(await allowed.Content.ReadAsStringAsync()))
        {
            Assert.Equal("none", body.RootElement.GetProperty("assignment").GetString());
        }

        foreach (var bad in new[] { "not json", "[1]", """{"visitor_id":"x","landing_page":"ftp://a"}""", """{"visitor_id":12,"landing_page":"https://shop.example/"}""", new string('a', 9000) })
        {
            using var response = await PostAsync(client, $"/dni/v1/sessions?key={siteKey}", bad, "https://shop.example");
            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, $"{bad[..Math.Min(20, bad.Length)]}: {response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        }

        // Server-side assignment: with the site secret only.
        using var noSecret = await PostAsync(client, "/dni/v1/assign", visit, null);
        Assert.Equal(HttpStatusCode.Unauthorized, noSecret.StatusCode);
        using var assign = new HttpRequestMessage(HttpMethod.Post, "/dni/v1/assign") { Content = new StringContent("""{"landing_page":"https://shop.example/?utm_source=x"}""", Encoding.UTF8, "application/json") };
        assign.Headers.Authorization = new("Bearer", secret);
        using var assigned = await client.SendAsync(assign);
        Assert.Equal(HttpStatusCode.OK, assigned.StatusCode);
        using var assignedBody = JsonDocument.Parse(await assigned.Content.ReadAsStringAsync());
        Assert.Equal(32, assignedBody.RootElement.GetProperty("visitor_id").GetString()!.Length);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string body, string? origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "text/plain") };
        if (origin is not null)
        {
            request.Headers.TryAddWithoutValidation("Origin", origin);
        }

        return await client.SendAsync(request);
    }

    /// <summary>A site for <paramref name="origin"/> swapping (415) 555-0100; with <paramref name="pool"/>, a gclid source taking numbers from a new pool of <paramref name="numbers"/>.</summary>
    private async Task<(Guid Id, string Key, string Secret)> SiteAsync(string name, string origin, string? pool, string[] numbers)
    {
        using var site = await CreateAsync("/v1/dni/sites", new { name, allowed_origins = new[] { origin }, swap_numbers = new[] { "+14155550100" } });
        var siteId = Guid.Parse(site.RootElement.GetProperty("id").GetString()!);
        if (pool is not null)
        {
            using var created = await CreateAsync("/v1/dni/pools", new { name = pool, numbers, fallback_number = DniEngineFixture.FallbackNumber, lease_seconds = 1800, cooldown_seconds = 600 });
            Assert.Equal(numbers.Length, created.RootElement.GetProperty("numbers").GetArrayLength());
            using var source = await CreateAsync("/v1/dni/sources", new { site_id = siteId, name = "Google Ads", priority = 10, match_kind = "landing_param", match_param = "gclid", pool_id = created.RootElement.GetProperty("id").GetString() });
        }

        return (siteId, site.RootElement.GetProperty("public_key").GetString()!, site.RootElement.GetProperty("secret").GetString()!);
    }

    private async Task<JsonDocument> CreateAsync(string path, object body)
    {
        using var response = await fixture.Http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text);
    }

    private static async Task WaitForCallRowAsync(NpgsqlConnection connection, string sipCallId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            await using var find = new NpgsqlCommand("SELECT count(*) FROM calls WHERE sip_call_id = $1", connection);
            find.Parameters.Add(new() { Value = sipCallId });
            if ((long)(await find.ExecuteScalarAsync())! > 0 || DateTime.UtcNow > deadline)
            {
                return;
            }

            await Task.Delay(100);
        }
    }
}
