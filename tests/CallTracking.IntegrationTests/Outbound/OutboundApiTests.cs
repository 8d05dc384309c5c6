using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CallTracking.IntegrationTests.Api;

namespace CallTracking.IntegrationTests.Outbound;

/// <summary>Webhooks, deliveries and conversion actions through the REST API of the engine as a process.</summary>
public sealed class OutboundApiTests(ApiEngineFixture fixture) : IClassFixture<ApiEngineFixture>
{
    [Fact]
    public async Task Webhooks_and_conversion_actions_are_created_listed_and_exported_per_organisation()
    {
        using var created = await SendAsync(HttpMethod.Post, "v1/webhooks", fixture.AlphaKey, """{"url":"http://127.0.0.1:9/hooks","events":["call.ended","conversion.sent"]}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var webhook = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        var id = webhook.RootElement.GetProperty("id").GetString();
        Assert.StartsWith("whsec_", webhook.RootElement.GetProperty("secret").GetString(), StringComparison.Ordinal);

        using var fetched = await SendAsync(HttpMethod.Get, $"v1/webhooks/{id}", fixture.AlphaKey);
        using var fetchedJson = JsonDocument.Parse(await fetched.Content.ReadAsStringAsync());
        Assert.Equal(JsonValueKind.Null, fetchedJson.RootElement.GetProperty("secret").ValueKind);
        using (var other = await SendAsync(HttpMethod.Get, $"v1/webhooks/{id}", fixture.BetaKey))
        {
            Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        }

        using var bad = await SendAsync(HttpMethod.Post, "v1/webhooks", fixture.AlphaKey, """{"url":"ftp://x","events":["call.exploded"]}""");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        using var log = await SendAsync(HttpMethod.Get, $"v1/webhooks/{id}/deliveries", fixture.AlphaKey);
        Assert.Equal(HttpStatusCode.OK, log.StatusCode);

        using var action = await SendAsync(HttpMethod.Post, "v1/conversion-actions", fixture.AlphaKey,
            """{"name":"Calls from ads","platform":"google_ads","conversion_name":"Phone call lead","min_talk_seconds":30,"value":120,"currency":"USD","settings":{"access_token":"secret-token"}}""");
        Assert.Equal(HttpStatusCode.Created, action.StatusCode);
        var actionText = await action.Content.ReadAsStringAsync();
        Assert.DoesNotContain("secret-token", actionText, StringComparison.Ordinal);
        using var actionJson = JsonDocument.Parse(actionText);
        var actionId = actionJson.RootElement.GetProperty("id").GetString();

        using var patched = await SendAsync(HttpMethod.Patch, $"v1/conversion-actions/{actionId}", fixture.AlphaKey, """{"send":true,"required_tag":"sale"}""");
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        using var patchedJson = JsonDocument.Parse(await patched.Content.ReadAsStringAsync());
        Assert.True(patchedJson.RootElement.GetProperty("send").GetBoolean());
        Assert.Equal("sale", patchedJson.RootElement.GetProperty("required_tag").GetString());
        Assert.Equal(120m, patchedJson.RootElement.GetProperty("value").GetDecimal());
        Assert.Equal(["access_token"], patchedJson.RootElement.GetProperty("setting_keys").EnumerateArray().Select(e => e.GetString()));

        using var export = await SendAsync(HttpMethod.Get, $"v1/conversion-actions/{actionId}/export.csv?from=2000-01-01T00:00:00Z", fixture.AlphaKey);
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("text/csv", export.Content.Headers.ContentType?.MediaType);
        var csv = await export.Content.ReadAsStringAsync();
        Assert.StartsWith("Parameters:TimeZone=", csv, StringComparison.Ordinal);
        Assert.Contains("Google Click ID,GBRAID,WBRAID,Conversion Name,Conversion Time,Conversion Value,Conversion Currency\r\n", csv, StringComparison.Ordinal);

        using var status = await SendAsync(HttpMethod.Get, "v1/deliveries/status", fixture.AlphaKey);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        using var missing = await SendAsync(HttpMethod.Post, $"v1/deliveries/{Guid.NewGuid()}/replay", fixture.AlphaKey, "{}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        using var deleted = await SendAsync(HttpMethod.Delete, $"v1/webhooks/{id}", fixture.AlphaKey);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

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
