using System.Globalization;
using System.Net;
using System.Text.Json;
using CallTracking.IntegrationTests.Infrastructure;
using CallTracking.IntegrationTests.Infrastructure.GrpcPeers;

namespace CallTracking.IntegrationTests.Grpc.Engine;

/// <summary>
/// The engine's gRPC API (calltracking.v1 Calls and CallEvents, grpc.health.v1) against gRPC client libraries
/// nobody here wrote, while sipp places real calls through a real engine with a real database. One test base,
/// run by every client (python grpcio, @grpc/grpc-js); each class shares one engine (<see cref="EngineGrpcFixture"/>).
/// </summary>
public abstract partial class EngineGrpcInteropTests(EngineGrpcFixture fixture)
{
    private const string CallsService = "/calltracking.v1.Calls/";
    private const string Subscribe = "/calltracking.v1.CallEvents/Subscribe";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    protected EngineGrpcFixture Fixture { get; } = fixture;

    protected TestDirectory Directory { get; } = TestDirectory.Create("engine-grpc");

    protected abstract GrpcPeerProcess Start(GrpcClientCall call, string name);

    [Fact]
    public async Task ListCalls_returns_the_sipp_call_with_its_tracking_number_disposition_and_caller()
    {
        var baseline = await Fixture.BaselineAsync();
        var result = await CallAsync(Unary("ListCalls", new { tracking_number = EngineGrpcFixture.AcmeForwarded }, Fixture.AcmeKey));
        Assert.Equal("OK", result.Status);
        var calls = Assert.Single(result.Messages).GetProperty("calls").EnumerateArray().ToList();
        var call = Assert.Single(calls, c => c.GetProperty("id").GetString() == baseline.AcmeCall.ToString("D"));
        Assert.Equal(EngineGrpcFixture.AcmeForwarded, call.GetProperty("tracking_number").GetString());
        Assert.Equal("answered", call.GetProperty("disposition").GetString());
        Assert.Equal("+15550000101", call.GetProperty("caller_number").GetString());
        Assert.Equal(Fixture.Acme.ToString("D"), call.GetProperty("organisation_id").GetString());
        Assert.True(Guid.TryParse(call.GetProperty("campaign_id").GetString(), out _), call.ToString());
        Assert.True(call.GetProperty("has_recording").GetBoolean(), call.ToString());

        // Filtered by number, Bravo's call is not among Acme's; by disposition, nothing is "busy".
        Assert.DoesNotContain(calls, c => c.GetProperty("id").GetString() == baseline.BravoCall.ToString("D"));
        var busy = await CallAsync(Unary("ListCalls", new { disposition = "busy" }, Fixture.AcmeKey));
        Assert.Empty(Assert.Single(busy.Messages).GetProperty("calls").EnumerateArray());
    }

    [Fact]
    public async Task ListCalls_pages_through_every_call_once_newest_first_and_finds_a_call_by_its_callers_digits()
    {
        var baseline = await Fixture.BaselineAsync();
        var expected = await Fixture.AcmeCallsNewestFirstAsync();
        var seen = new List<Guid>();
        var token = string.Empty;
        do
        {
            var page = await CallAsync(Unary("ListCalls", new { page_size = 2, page_token = token }, Fixture.AcmeKey));
            Assert.Equal("OK", page.Status);
            var message = Assert.Single(page.Messages);
            seen.AddRange(message.GetProperty("calls").EnumerateArray().Select(c => Guid.Parse(c.GetProperty("id").GetString()!)));
            token = message.GetProperty("next_page_token").GetString()!;
            Assert.True(seen.Count <= expected.Count, $"more calls listed than Acme has: {string.Join(", ", seen)}");
        }
        while (token.Length > 0);
        Assert.Equal(expected, seen);

        var byText = await CallAsync(Unary("ListCalls", new { text = "0000101" }, Fixture.AcmeKey));
        var found = Assert.Single(Assert.Single(byText.Messages).GetProperty("calls").EnumerateArray());
        Assert.Equal(baseline.AcmeCall.ToString("D"), found.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Malformed_arguments_are_INVALID_ARGUMENT()
    {
        foreach (var (method, request) in new (string, object)[]
        {
            ("GetCall", new { call_id = "not-a-uuid" }),
            ("ListCalls", new { page_token = "garbage!" }),
            ("ListCalls", new { tracking_number = "5551230031" }),
            ("ListCalls", new { disposition = "maybe" }),
            ("GetRecordingLink", new { call_id = Guid.NewGuid().ToString("D"), expires_in_seconds = 5 }),
        })
        {
            var result = await CallAsync(Unary(method, request, Fixture.AcmeKey));
            Assert.True(result.Status == "INVALID_ARGUMENT", $"{method} {JsonSerializer.Serialize(request)}\n{result.Describe()}");
        }

        foreach (var request in new object[] { new { tracking_numbers = new[] { "5551230031" } }, new { kinds = new[] { "Call Started" } }, new { resume_after = -1 } })
        {
            var result = await CallAsync(Stream(request, Fixture.AcmeKey) with { Timeout = TimeSpan.FromSeconds(10) });
            Assert.True(result.Status == "INVALID_ARGUMENT", $"Subscribe {JsonSerializer.Serialize(request)}\n{result.Describe()}");
        }
    }

    [Fact]
    public async Task GetCall_has_the_forwarded_leg_and_the_event_timeline_in_order()
    {
        var baseline = await Fixture.BaselineAsync();
        var result = await CallAsync(Unary("GetCall", new { call_id = baseline.AcmeCall.ToString("D") }, Fixture.AcmeKey));
        Assert.Equal("OK", result.Status);
        var call = Assert.Single(result.Messages);
        Assert.Equal("answered", call.GetProperty("disposition").GetString());
        Assert.Equal("caller", call.GetProperty("hangup_by").GetString());

        var legs = call.GetProperty("legs").EnumerateArray().ToList();
        var outbound = Assert.Single(legs, l => l.GetProperty("direction").GetString() == "outbound");
        Assert.Equal(EngineGrpcFixture.BusinessDestination, outbound.GetProperty("destination").GetString());
        Assert.Equal(200, outbound.GetProperty("final_status").GetInt32());

        var events = call.GetProperty("events").EnumerateArray().ToList();
        var stored = await Fixture.EventsOfAsync([baseline.AcmeCall]);
        Assert.Equal(stored.Select(e => e.Id), events.Select(Id));
        Assert.Equal(
            ["call.started", "call.ringing", "call.answered", "call.bridged", "call.ended", "recording.ready"],
            events.Select(Kind).Where(k => k != "call.dtmf"));
        Assert.Equal("+15550000101", events[0].GetProperty("started").GetProperty("caller_number").GetString());
        Assert.Equal("answered", events.Single(e => Kind(e) == "call.ended").GetProperty("ended").GetProperty("disposition").GetString());
    }

    [Fact]
    public async Task GetRecordingLink_downloads_an_Ogg_Opus_file_and_a_tampered_link_is_403()
    {
        var baseline = await Fixture.BaselineAsync();
        var result = await CallAsync(Unary("GetRecordingLink", new { call_id = baseline.AcmeCall.ToString("D"), expires_in_seconds = 120 }, Fixture.AcmeKey));
        Assert.Equal("OK", result.Status);
        var link = Assert.Single(result.Messages);
        Assert.Equal("audio/ogg; codecs=opus", link.GetProperty("content_type").GetString());
        var url = new Uri(link.GetProperty("url").GetString()!);
        var size = long.Parse(link.GetProperty("bytes").GetString()!, CultureInfo.InvariantCulture);

        using var response = await Fixture.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var file = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("OggS"u8.ToArray(), file[..4]);
        Assert.Equal(size, file.Length);
        // 1.5 s of stereo Opus: more than the Ogg and Opus headers alone (a few hundred bytes).
        Assert.InRange(file.Length, 2_000, 2_000_000);

        // The same link with one character of its signature changed is refused.
        var text = url.ToString();
        var tampered = text[..^1] + (text[^1] == 'A' ? 'B' : 'A');
        using var refused = await Fixture.Http.GetAsync(new Uri(tampered));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task GetTranscript_of_a_call_not_transcribed_is_status_none()
    {
        var baseline = await Fixture.BaselineAsync();
        var result = await CallAsync(Unary("GetTranscript", new { call_id = baseline.AcmeCall.ToString("D") }, Fixture.AcmeKey));
        Assert.Equal("OK", result.Status);
        var transcript = Assert.Single(result.Messages);
        Assert.Equal("none", transcript.GetProperty("status").GetString());
        Assert.Equal(baseline.AcmeCall.ToString("D"), transcript.GetProperty("call_id").GetString());
        Assert.Empty(transcript.GetProperty("segments").EnumerateArray());
    }

    [Fact]
    public async Task Wrong_key_is_UNAUTHENTICATED_and_another_organisations_call_is_NOT_FOUND()
    {
        var baseline = await Fixture.BaselineAsync();
        var wrong = Fixture.AcmeKey[..^2] + (Fixture.AcmeKey[^2..] == "xx" ? "yy" : "xx");
        var unary = await CallAsync(Unary("GetCall", new { call_id = baseline.AcmeCall.ToString("D") }, wrong));
        Assert.Equal("UNAUTHENTICATED", unary.Status);
        Assert.Empty(unary.Messages);
        var stream = await CallAsync(Stream(new { }, wrong) with { Timeout = TimeSpan.FromSeconds(10) });
        Assert.Equal("UNAUTHENTICATED", stream.Status);
        var none = await CallAsync(Unary("ListCalls", new { }, key: null));
        Assert.Equal("UNAUTHENTICATED", none.Status);

        // Bravo's key sees its own call, and Acme's exactly as a call that does not exist.
        var own = await CallAsync(Unary("GetCall", new { call_id = baseline.BravoCall.ToString("D") }, Fixture.BravoKey));
        Assert.Equal("OK", own.Status);
        foreach (var method in new[] { "GetCall", "GetRecordingLink", "GetTranscript" })
        {
            var other = await CallAsync(Unary(method, new { call_id = baseline.AcmeCall.ToString("D") }, Fixture.BravoKey));
            Assert.Equal("NOT_FOUND", other.Status);
            Assert.Empty(other.Messages);
        }

        var listed = await CallAsync(Unary("ListCalls", new { }, Fixture.BravoKey));
        Assert.All(Assert.Single(listed.Messages).GetProperty("calls").EnumerateArray(), c => Assert.Equal(Fixture.Bravo.ToString("D"), c.GetProperty("organisation_id").GetString()));
        var foreignStream = await CallAsync(Stream(new { organisation_ids = new[] { Fixture.Acme.ToString("D") } }, Fixture.BravoKey) with { Timeout = TimeSpan.FromSeconds(10) });
        Assert.Equal("NOT_FOUND", foreignStream.Status);
    }

    [Fact]
    public async Task Health_check_is_SERVING_for_the_engine_and_its_services()
    {
        foreach (var service in new[] { string.Empty, "calltracking.v1.Calls", "calltracking.v1.CallEvents" })
        {
            var result = await CallAsync(Health(Fixture.Target, service));
            Assert.Equal("OK", result.Status);
            Assert.Equal("SERVING", Assert.Single(result.Messages).GetProperty("status").GetString());
        }
    }

    protected GrpcClientCall Unary(string method, object request, string? key) => new()
    {
        Target = Fixture.Target,
        ProtoRoot = GrpcPeerPaths.EngineProtoRoot,
        Method = CallsService + method,
        RequestJson = JsonSerializer.Serialize(request),
        Metadata = key is null ? [] : [new("authorization", "Bearer " + key)],
    };

    protected GrpcClientCall Stream(object request, string key) => new()
    {
        Target = Fixture.Target,
        ProtoRoot = GrpcPeerPaths.EngineProtoRoot,
        Method = Subscribe,
        RequestJson = JsonSerializer.Serialize(request),
        Metadata = [new("authorization", "Bearer " + key)],
    };

    protected static GrpcClientCall Health(string target, string service) => new()
    {
        Target = target,
        ProtoRoot = GrpcPeerPaths.EngineProtoRoot,
        Method = "/grpc.health.v1.Health/Check",
        RequestJson = JsonSerializer.Serialize(new { service }),
    };

    protected async Task<GrpcPeerResult> CallAsync(GrpcClientCall call, string name = "unary")
    {
        using var peer = Start(call, name);
        var result = await peer.WaitForExitAsync(Patience);
        Assert.True(result.Completed, result.Describe());
        return result;
    }

    protected static long Id(JsonElement message) => long.Parse(message.GetProperty("id").GetString()!, CultureInfo.InvariantCulture);

    protected static string Kind(JsonElement message) => message.GetProperty("kind").GetString()!;

    protected static string CallId(JsonElement message) => message.GetProperty("call_id").GetString()!;

    /// <summary>The MSG lines a running peer has printed so far.</summary>
    protected static List<JsonElement> Received(GrpcPeerProcess peer) =>
        peer.Lines.Where(line => line.StartsWith("MSG ", StringComparison.Ordinal))
            .Select(line => JsonDocument.Parse(line[4..]).RootElement.Clone())
            .ToList();

    /// <summary>Waits until a running stream has printed events that satisfy <paramref name="done"/>.</summary>
    protected static async Task<List<JsonElement>> WaitForEventsAsync(GrpcPeerProcess peer, Func<List<JsonElement>, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var received = Received(peer);
            if (done(received))
            {
                return received;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The stream never received {what}.\n$ {peer.CommandLine}\n{string.Join('\n', peer.Lines)}\n{peer.Stderr}");
            await Task.Delay(50);
        }
    }
}
