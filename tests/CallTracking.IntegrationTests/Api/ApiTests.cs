using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CallTracking.IntegrationTests.Infrastructure;

namespace CallTracking.IntegrationTests.Api;

/// <summary>The REST API over real HTTP against the engine as a process (see <see cref="ApiEngineFixture"/>).</summary>
public sealed class ApiTests(ApiEngineFixture fixture) : IClassFixture<ApiEngineFixture>
{
    [Fact]
    public async Task A_request_without_a_key_is_401_problem_with_WWW_Authenticate_Bearer()
    {
        using var response = await fixture.Http.GetAsync("v1/calls");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        await AssertProblemAsync(response, 401, "/v1/calls");

        using var wrong = await SendAsync(HttpMethod.Get, "v1/calls", "ctk_abcdefgh_" + new string('A', 43));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        await AssertProblemAsync(wrong, 401, "/v1/calls");

        // A real prefix with a wrong secret is refused too.
        using var forged = await SendAsync(HttpMethod.Get, "v1/calls", fixture.AlphaKey[..13] + new string('A', 43));
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
    }

    [Fact]
    public async Task X_Api_Key_is_accepted_as_well_as_Bearer()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/organisations");
        request.Headers.Add("X-Api-Key", fixture.AlphaKey);
        using var response = await fixture.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Errors_are_problem_json_for_unknown_routes_wrong_methods_media_types_and_validation()
    {
        using var unknown = await SendAsync(HttpMethod.Get, "no/such/route", fixture.AlphaKey);
        await AssertProblemAsync(unknown, 404, "/no/such/route");

        using var method = await SendAsync(HttpMethod.Delete, "v1/organisations", fixture.AlphaKey);
        await AssertProblemAsync(method, 405, "/v1/organisations");

        using var media = await SendAsync(HttpMethod.Post, "v1/campaigns", fixture.AlphaKey, new StringContent("name=x", Encoding.UTF8, "text/plain"));
        await AssertProblemAsync(media, 415, "/v1/campaigns");

        using var invalid = await SendAsync(HttpMethod.Post, "v1/campaigns", fixture.AlphaKey, Json("""{ "name": 5 }"""));
        var problem = await AssertProblemAsync(invalid, 400, "/v1/campaigns");
        Assert.Equal("must be a string", problem.GetProperty("errors").GetProperty("name")[0].GetString());

        using var limit = await SendAsync(HttpMethod.Get, "v1/calls?limit=500", fixture.AlphaKey);
        problem = await AssertProblemAsync(limit, 400, "/v1/calls");
        Assert.True(problem.GetProperty("errors").TryGetProperty("limit", out _));
    }

    [Fact]
    public async Task Another_organisations_ids_are_404_and_its_calls_never_listed()
    {
        foreach (var path in new[]
        {
            $"v1/calls/{fixture.BetaCalls[0]}",
            $"v1/calls/{fixture.BetaCalls[0]}/events",
            $"v1/calls/{fixture.BetaCalls[0]}/recording",
            $"v1/numbers/{fixture.BetaNumber}",
            $"v1/campaigns/{fixture.BetaCampaign}",
        })
        {
            using var response = await SendAsync(HttpMethod.Get, path, fixture.AlphaKey);
            await AssertProblemAsync(response, 404, "/" + path);
        }

        using var delete = await SendAsync(HttpMethod.Delete, $"v1/numbers/{fixture.BetaNumber}", fixture.AlphaKey);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        using var patch = await SendAsync(HttpMethod.Patch, $"v1/campaigns/{fixture.BetaCampaign}", fixture.AlphaKey, Json("""{ "name": "mine now" }"""));
        Assert.Equal(HttpStatusCode.NotFound, patch.StatusCode);

        var alphaCalls = await AllCallIdsAsync(fixture.AlphaKey, 200);
        Assert.Equal(fixture.AlphaCalls.Order(), alphaCalls.Order());
        var numbers = await GetJsonAsync("v1/numbers", fixture.AlphaKey);
        Assert.Equal(["+15551230011"], numbers.GetProperty("items").EnumerateArray().Select(n => n.GetProperty("number").GetString()));

        using var mine = await SendAsync(HttpMethod.Get, $"v1/calls/{fixture.BetaCalls[0]}", fixture.BetaKey);
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
    }

    [Fact]
    public async Task An_agency_key_sees_its_clients_but_not_other_organisations()
    {
        var organisations = await GetJsonAsync("v1/organisations", fixture.AgencyKey);
        Assert.Equal(["Agency", "Alpha"], organisations.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("name").GetString()));

        var calls = await AllCallIdsAsync(fixture.AgencyKey, 200);
        Assert.Equal(fixture.AlphaCalls.Order(), calls.Order());

        // Shared trunks are visible to the agency, with their secrets masked; not to a client.
        var trunks = await GetJsonAsync("v1/trunks", fixture.AgencyKey);
        var trunk = Assert.Single(trunks.GetProperty("items").EnumerateArray());
        Assert.Equal("********", trunk.GetProperty("definition").GetProperty("Password").GetString());
        Assert.Empty((await GetJsonAsync("v1/trunks", fixture.BetaKey)).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Paging_returns_every_call_exactly_once_newest_first()
    {
        var seen = new List<(Guid Id, DateTimeOffset StartedAt)>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await GetJsonAsync($"v1/calls?limit=3{(token is null ? "" : "&page_token=" + Uri.EscapeDataString(token))}", fixture.AlphaKey);
            var items = page.GetProperty("items").EnumerateArray().ToList();
            Assert.InRange(items.Count, 1, 3);
            seen.AddRange(items.Select(c => (c.GetProperty("id").GetGuid(), c.GetProperty("started_at").GetDateTimeOffset())));
            token = page.GetProperty("next_page_token").GetString();
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(ApiEngineFixture.AlphaCallCount, seen.Count);
        Assert.Equal(fixture.AlphaCalls.Order(), seen.Select(s => s.Id).Order());
        Assert.Equal(seen.OrderByDescending(s => s.StartedAt).Select(s => s.StartedAt), seen.Select(s => s.StartedAt));

        using var bad = await SendAsync(HttpMethod.Get, "v1/calls?page_token=not-a-token", fixture.AlphaKey);
        await AssertProblemAsync(bad, 400, "/v1/calls");
    }

    [Fact]
    public async Task Calls_filter_by_time_number_campaign_and_disposition()
    {
        var from = Uri.EscapeDataString("2026-11-01T12:02:00Z");
        var to = Uri.EscapeDataString("2026-11-01T12:05:00Z");
        var window = await GetJsonAsync($"v1/calls?from={from}&to={to}", fixture.AlphaKey);
        Assert.Equal(3, window.GetProperty("items").GetArrayLength()); // minutes 2, 3 and 3; 5 is past "to"

        Assert.Equal(7, (await GetJsonAsync("v1/calls?number=%2B15551230011", fixture.AlphaKey)).GetProperty("items").GetArrayLength());
        Assert.Equal(7, (await GetJsonAsync($"v1/calls?campaign={fixture.AlphaCampaign}", fixture.AlphaKey)).GetProperty("items").GetArrayLength());
        Assert.Equal(0, (await GetJsonAsync($"v1/calls?campaign={fixture.BetaCampaign}", fixture.AlphaKey)).GetProperty("items").GetArrayLength());
        Assert.Equal(7, (await GetJsonAsync("v1/calls?disposition=answered", fixture.AlphaKey)).GetProperty("items").GetArrayLength());
        Assert.Equal(0, (await GetJsonAsync("v1/calls?disposition=in-progress", fixture.AlphaKey)).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task The_recording_downloads_whole_and_by_range()
    {
        using var whole = await SendAsync(HttpMethod.Get, $"v1/calls/{fixture.AlphaCalls[0]}/recording", fixture.AlphaKey);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal("audio/ogg", whole.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", whole.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(fixture.Recording, await whole.Content.ReadAsByteArrayAsync());

        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/calls/{fixture.AlphaCalls[0]}/recording");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.AlphaKey);
        request.Headers.Range = new RangeHeaderValue(100, 199);
        using var partial = await fixture.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(fixture.Recording[100..200], await partial.Content.ReadAsByteArrayAsync());
        Assert.Equal(fixture.Recording.Length, partial.Content.Headers.ContentRange?.Length);

        using var none = await SendAsync(HttpMethod.Get, $"v1/calls/{fixture.AlphaCalls[1]}/recording", fixture.AlphaKey);
        await AssertProblemAsync(none, 404, $"/v1/calls/{fixture.AlphaCalls[1]}/recording");
    }

    [Fact]
    public async Task A_calls_events_come_in_order()
    {
        var events = await GetJsonAsync($"v1/calls/{fixture.AlphaCalls[0]}/events", fixture.AlphaKey);
        Assert.Equal(["call.started", "call.ended"], events.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal(2, events.GetProperty("items")[1].GetProperty("payload").GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task Campaigns_and_numbers_have_full_crud()
    {
        using var created = await SendAsync(HttpMethod.Post, "v1/campaigns", fixture.AlphaKey, Json("""{ "name": "Billboards" }"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var campaign = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        var id = campaign.GetProperty("id").GetGuid();
        Assert.Equal($"/v1/campaigns/{id}", created.Headers.Location?.OriginalString);

        using var duplicate = await SendAsync(HttpMethod.Post, "v1/campaigns", fixture.AlphaKey, Json("""{ "name": "Billboards" }"""));
        await AssertProblemAsync(duplicate, 409, "/v1/campaigns");

        using var patched = await SendAsync(HttpMethod.Patch, $"v1/campaigns/{id}", fixture.AlphaKey, Json("""{ "name": "Billboards 2" }"""));
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("Billboards 2", (await GetJsonAsync($"v1/campaigns/{id}", fixture.AlphaKey)).GetProperty("name").GetString());

        using var number = await SendAsync(HttpMethod.Post, "v1/numbers", fixture.AlphaKey, Json($$"""{ "number": "+15551239999", "campaign_id": "{{id}}", "name": "roadside" }"""));
        Assert.Equal(HttpStatusCode.Created, number.StatusCode);
        var numberId = JsonDocument.Parse(await number.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();

        // Another organisation's campaign cannot be attached.
        using var foreign = await SendAsync(HttpMethod.Put, $"v1/numbers/{numberId}", fixture.AlphaKey, Json($$"""{ "number": "+15551239999", "campaign_id": "{{fixture.BetaCampaign}}" }"""));
        var problem = await AssertProblemAsync(foreign, 400, $"/v1/numbers/{numberId}");
        Assert.True(problem.GetProperty("errors").TryGetProperty("campaign_id", out _));

        using var stillUsed = await SendAsync(HttpMethod.Delete, $"v1/campaigns/{id}", fixture.AlphaKey);
        await AssertProblemAsync(stillUsed, 409, $"/v1/campaigns/{id}");

        using var put = await SendAsync(HttpMethod.Put, $"v1/numbers/{numberId}", fixture.AlphaKey, Json("""{ "number": "+15551239999" }"""));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var updated = JsonDocument.Parse(await put.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(JsonValueKind.Null, updated.GetProperty("campaign_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, updated.GetProperty("name").ValueKind);

        using var deleteNumber = await SendAsync(HttpMethod.Delete, $"v1/numbers/{numberId}", fixture.AlphaKey);
        Assert.Equal(HttpStatusCode.NoContent, deleteNumber.StatusCode);
        using var deleteCampaign = await SendAsync(HttpMethod.Delete, $"v1/campaigns/{id}", fixture.AlphaKey);
        Assert.Equal(HttpStatusCode.NoContent, deleteCampaign.StatusCode);
        using var gone = await SendAsync(HttpMethod.Get, $"v1/campaigns/{id}", fixture.AlphaKey);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Plans_are_validated_as_call_control_reads_them()
    {
        // The engine's only trunk, "carrier", has no Outbound section; a SIP URI destination needs no trunk.
        using var unknownTrunk = await SendAsync(HttpMethod.Post, "v1/plans", fixture.AlphaKey, Json("""
            { "name": "typo", "definition": { "Forward": [ { "To": "+15559870001", "Trunk": "offce" } ], "Ring": [ "+15559870001" ] } }
            """));
        var problem = await AssertProblemAsync(unknownTrunk, 400, "/v1/plans");
        var errors = problem.GetProperty("errors");
        Assert.StartsWith("trunk \"offce\" is not defined", errors.GetProperty("definition.Forward[0].Trunk")[0].GetString(), StringComparison.Ordinal);
        Assert.StartsWith("unknown key", errors.GetProperty("definition.Ring")[0].GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain((await GetJsonAsync("v1/plans", fixture.AlphaKey)).GetProperty("items").EnumerateArray(), p => p.GetProperty("name").GetString() == "typo");

        using var noOutbound = await SendAsync(HttpMethod.Post, "v1/plans", fixture.AlphaKey, Json("""
            { "name": "typo", "definition": { "Forward": [ { "To": "+15559870001", "Trunk": "carrier" } ], "MaxCallMinutes": 0 } }
            """));
        errors = (await AssertProblemAsync(noOutbound, 400, "/v1/plans")).GetProperty("errors");
        Assert.StartsWith("trunk \"carrier\" has no Outbound section", errors.GetProperty("definition.Forward[0].Trunk")[0].GetString(), StringComparison.Ordinal);
        Assert.True(errors.TryGetProperty("definition.MaxCallMinutes", out _));

        using var created = await SendAsync(HttpMethod.Post, "v1/plans", fixture.AlphaKey, Json("""
            { "name": "desk", "definition": { "Announcement": "none", "Forward": [ { "To": "sip:desk@127.0.0.1:5099", "RingSeconds": 15 } ], "Voicemail": true } }
            """));
        var body = await created.Content.ReadAsStringAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, body);
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();

        using var badPut = await SendAsync(HttpMethod.Put, $"v1/plans/{id}", fixture.AlphaKey, Json("""
            { "name": "desk", "definition": { "ForwardMode": "random" } }
            """));
        errors = (await AssertProblemAsync(badPut, 400, $"/v1/plans/{id}")).GetProperty("errors");
        Assert.True(errors.TryGetProperty("definition.ForwardMode", out _));

        using var badPatch = await SendAsync(HttpMethod.Patch, $"v1/plans/{id}", fixture.AlphaKey, Json("""
            { "definition": { "BusinessHours": { "Schedule": { "mon": "nine to five" } } } }
            """));
        errors = (await AssertProblemAsync(badPatch, 400, $"/v1/plans/{id}")).GetProperty("errors");
        Assert.True(errors.TryGetProperty("definition.BusinessHours.Schedule.mon", out _), errors.ToString());

        // Alpha's time zone (UTC) is the default of business hours.
        using var goodPatch = await SendAsync(HttpMethod.Patch, $"v1/plans/{id}", fixture.AlphaKey, Json("""
            { "definition": { "BusinessHours": { "Schedule": { "mon": "08:00-18:00" } } } }
            """));
        Assert.Equal(HttpStatusCode.OK, goodPatch.StatusCode);
        var stored = await GetJsonAsync($"v1/plans/{id}", fixture.AlphaKey);
        Assert.Equal("08:00-18:00", stored.GetProperty("definition").GetProperty("BusinessHours").GetProperty("Schedule").GetProperty("mon").GetString());

        using var deleted = await SendAsync(HttpMethod.Delete, $"v1/plans/{id}", fixture.AlphaKey);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    [Fact]
    public async Task Keys_are_listed_without_secrets_and_a_revoked_key_is_refused()
    {
        var key = await fixture.CreateKeyAsync("Beta");
        Assert.Matches("^ctk_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$", key);
        var prefix = key[4..12];
        using (var ok = await SendAsync(HttpMethod.Get, "v1/organisations", key))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        var list = await EngineCli.RunAsync(fixture.Directory, fixture.Database, "keys", "list", "--org", "Beta");
        Assert.Equal(0, list.Code);
        Assert.Contains(prefix, list.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(key[13..], list.Out, StringComparison.Ordinal);

        var revoke = await EngineCli.RunAsync(fixture.Directory, fixture.Database, "keys", "revoke", prefix);
        Assert.True(revoke.Code == 0, revoke.Err);
        using (var refused = await SendAsync(HttpMethod.Get, "v1/organisations", key))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        list = await EngineCli.RunAsync(fixture.Directory, fixture.Database, "keys", "list", "--org", "Beta");
        Assert.Matches($"{prefix} +revoked", list.Out);

        var unknown = await EngineCli.RunAsync(fixture.Directory, fixture.Database, "keys", "create", "--org", "Nobody Inc");
        Assert.Equal(78, unknown.Code);
        Assert.Equal("", unknown.Out);
        Assert.Single(unknown.Err.Trim().Split('\n'));
    }

    private async Task<List<Guid>> AllCallIdsAsync(string key, int limit)
    {
        var page = await GetJsonAsync($"v1/calls?limit={limit}", key);
        return page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ToList();
    }

    private async Task<JsonElement> GetJsonAsync(string path, string key)
    {
        using var response = await SendAsync(HttpMethod.Get, path, key);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string key, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await fixture.Http.SendAsync(request);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, int status, string instance)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("type").GetString()));
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.Equal(instance, problem.GetProperty("instance").GetString());
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        return problem;
    }
}
