using System.Net;
using System.Net.Http.Headers;
using CallTracking.Engine.Api;
using CallTracking.Engine.Events;
using CallTracking.Engine.Grpc;
using CallTracking.Engine.Storage;
using CallTracking.Grpc.Server;
using CallTracking.Grpc.V1;
using CallTracking.IntegrationTests.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using CallAnswered = CallTracking.Engine.Storage.CallAnswered;
using CallEnded = CallTracking.Engine.Storage.CallEnded;
using RecordingReady = CallTracking.Engine.Storage.RecordingReady;

namespace CallTracking.IntegrationTests.Events;

/// <summary>calltracking.v1.Calls against a real PostgreSQL, and the signed recording links it hands out served over real HTTP.</summary>
public sealed class CallsServiceTests(PostgresServer server) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    private readonly ManualTime _time = new();
    private EventsDatabase _db = null!;
    private string _data = null!;
    private WebApplication _http = null!;
    private Uri _baseUrl = null!;
    private CallsService _service = null!;
    private RecordingLinks _links = null!;
    private string _clientKey = null!;
    private string _agencyKey = null!;
    private CallTracking.Engine.Privacy.MasterKeyRing _masterKeys = null!;

    public async Task InitializeAsync()
    {
        _db = await EventsDatabase.CreateAsync(server);
        _data = Directory.CreateTempSubdirectory("ct-calls-service-").FullName;
        var api = new ApiDatabase(_db.DataSource);
        var recordings = new RecordingStore(api, _data);
        _links = new RecordingLinks(_db.DataSource, () => _baseUrl, _time, _db.Meters);
        _service = new CallsService(new GrpcAuthentication(_db.Keys, _db.Meters), new CallQueries(api), new EventStore(_db.DataSource), recordings, _links, api);
        _clientKey = await _db.KeyAsync("Client");
        _agencyKey = await _db.KeyAsync("Agency");

        // Only the signed-link endpoint, on a real Kestrel: the link is all a client has.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton(_links);
        builder.Services.AddSingleton(recordings);

        // Downloads decrypt what is encrypted at rest (the plain files here are served as they are).
        _masterKeys = CallTracking.Engine.Privacy.MasterKeyFile.LoadOrCreate(Path.Combine(_data, "keys", "master.key"));
        builder.Services.AddSingleton(new CallTracking.Engine.Privacy.RecordingReader(new CallTracking.Engine.Privacy.DataKeyStore(_db.DataSource, _masterKeys)));
        builder.Services.AddSingleton(api);
        builder.Services.AddSingleton<CallTracking.Engine.Privacy.IAuditSink>(new CallTracking.Engine.Privacy.AuditTrail(_db.DataSource, _time));
        _http = builder.Build();
        _http.MapSignedRecordings();
        await _http.StartAsync();
        _baseUrl = new Uri(_http.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async Task DisposeAsync()
    {
        await _http.StopAsync();
        await _http.DisposeAsync();
        await _db.DisposeAsync();
        _masterKeys.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task GetCall_returns_the_call_with_its_legs_and_events_and_is_not_found_for_another_organisation()
    {
        var campaign = await _db.CampaignAsync(_db.Client, "Spring");
        var callId = await _db.StartCallAsync(_db.Client, campaign: campaign, callerName: "Ann Smith");
        var leg = await _db.Store.AddLegAsync(new CallLegStarted(callId, _db.Client, "+15557654321", EventsDatabase.T0.AddSeconds(1)), CancellationToken.None);
        await _db.Store.UpdateLegAsync(new CallLegUpdate(leg, callId, _db.Client) { AnsweredAt = EventsDatabase.T0.AddSeconds(5), FinalStatus = 200, Bridged = true }, CancellationToken.None);
        await _db.Store.MarkAnsweredAsync(new CallAnswered(callId, _db.Client, EventsDatabase.T0.AddSeconds(5)), CancellationToken.None);
        await _db.Store.EndCallAsync(new CallEnded(callId, _db.Client, EventsDatabase.T0.AddSeconds(65), CallDisposition.Answered) { HangupBy = HangupParty.Caller }, CancellationToken.None);

        var call = await _service.GetCallAsync(new GetCallRequest { CallId = callId.ToString() }, Context(_clientKey, "GetCall"));

        Assert.Equal(callId.ToString(), call.Id);
        Assert.Equal("Spring", call.CampaignName);

        // The list carries the same names (a dashboard's list shows them; it has no other source for them).
        var listed = Assert.Single((await _service.ListCallsAsync(new ListCallsRequest(), Context(_clientKey, "ListCalls"))).Calls, c => c.Id == callId.ToString());
        Assert.Equal("Spring", listed.CampaignName);
        Assert.Equal(call.TrackingNumberName, listed.TrackingNumberName);
        Assert.Equal("Ann Smith", call.CallerName);
        Assert.Equal("answered", call.Disposition);
        Assert.Equal(60, call.TalkSeconds);
        Assert.Equal(["inbound", "outbound"], call.Legs.Select(l => l.Direction));
        Assert.Equal(200, call.Legs[1].FinalStatus);
        Assert.Equal(["call.started", "call.bridged", "call.answered", "call.ended"], call.Events.Select(e => e.Kind));
        Assert.Equal(leg.ToString(), call.Events[1].Bridged.LegId);
        Assert.Equal(Timestamp.FromDateTimeOffset(EventsDatabase.T0.AddSeconds(65)), call.Events[3].Ended.EndedAt);

        // The agency sees its client's call; an unrelated organisation's key does not, as if it did not exist.
        Assert.Equal(callId.ToString(), (await _service.GetCallAsync(new GetCallRequest { CallId = callId.ToString() }, Context(_agencyKey, "GetCall"))).Id);
        var otherKey = await _db.KeyAsync("Other");
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<GrpcException>(() => _service.GetCallAsync(new GetCallRequest { CallId = callId.ToString() }, Context(otherKey, "GetCall")))).Status);
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<GrpcException>(() => _service.GetCallAsync(new GetCallRequest { CallId = Guid.NewGuid().ToString() }, Context(_clientKey, "GetCall")))).Status);
        Assert.Equal(StatusCode.InvalidArgument, (await Assert.ThrowsAsync<GrpcException>(() => _service.GetCallAsync(new GetCallRequest { CallId = "42" }, Context(_clientKey, "GetCall")))).Status);
        Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<GrpcException>(() => _service.GetCallAsync(new GetCallRequest { CallId = callId.ToString() }, Context(null, "GetCall")))).Status);
    }

    [Fact]
    public async Task ListCalls_pages_newest_first_and_filters_by_text_disposition_and_organisation()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await _db.StartCallAsync(_db.Client, callerName: i == 3 ? "ANN Smith" : "Bob", callerNumber: "+1555000000" + i, startedAt: EventsDatabase.T0.AddMinutes(i)));
        }

        await _db.StartCallAsync(_db.Agency, startedAt: EventsDatabase.T0.AddMinutes(10));
        await _db.Store.EndCallAsync(new CallEnded(ids[0], _db.Client, EventsDatabase.T0.AddMinutes(30), CallDisposition.NoAnswer), CancellationToken.None);

        var pages = new List<List<string>>();
        var token = string.Empty;
        do
        {
            var page = await _service.ListCallsAsync(new ListCallsRequest { OrganisationId = _db.Client.ToString(), PageSize = 2, PageToken = token }, Context(_agencyKey, "ListCalls"));
            pages.Add([.. page.Calls.Select(c => c.Id)]);
            token = page.NextPageToken;
        }
        while (token.Length > 0);

        Assert.Equal(ids.AsEnumerable().Reverse().Select(id => id.ToString()), pages.SelectMany(p => p));
        Assert.Equal([2, 2, 1], pages.Select(p => p.Count));

        var ann = await _service.ListCallsAsync(new ListCallsRequest { Text = "ann" }, Context(_clientKey, "ListCalls"));
        Assert.Equal(ids[3].ToString(), Assert.Single(ann.Calls).Id);
        var byNumber = await _service.ListCallsAsync(new ListCallsRequest { Text = "0000002" }, Context(_clientKey, "ListCalls"));
        Assert.Equal(ids[2].ToString(), Assert.Single(byNumber.Calls).Id);
        Assert.Equal(4, (await _service.ListCallsAsync(new ListCallsRequest { Disposition = "in-progress" }, Context(_clientKey, "ListCalls"))).Calls.Count);
        Assert.Equal(ids[0].ToString(), Assert.Single((await _service.ListCallsAsync(new ListCallsRequest { Disposition = "no-answer" }, Context(_clientKey, "ListCalls"))).Calls).Id);
        Assert.Equal(6, (await _service.ListCallsAsync(new ListCallsRequest(), Context(_agencyKey, "ListCalls"))).Calls.Count);
        Assert.Equal(2, (await _service.ListCallsAsync(new ListCallsRequest { StartedFrom = Timestamp.FromDateTimeOffset(EventsDatabase.T0.AddMinutes(3)), StartedBefore = Timestamp.FromDateTimeOffset(EventsDatabase.T0.AddMinutes(5)) }, Context(_clientKey, "ListCalls"))).Calls.Count);

        async Task<StatusCode> Refused(ListCallsRequest request) => (await Assert.ThrowsAsync<GrpcException>(() => _service.ListCallsAsync(request, Context(_clientKey, "ListCalls")))).Status;
        Assert.Equal(StatusCode.NotFound, await Refused(new ListCallsRequest { OrganisationId = _db.Agency.ToString() }));
        Assert.Equal(StatusCode.InvalidArgument, await Refused(new ListCallsRequest { PageToken = "not-a-token" }));
        Assert.Equal(StatusCode.InvalidArgument, await Refused(new ListCallsRequest { PageSize = 501 }));
        Assert.Equal(StatusCode.InvalidArgument, await Refused(new ListCallsRequest { Disposition = "lost" }));
        Assert.Equal(StatusCode.InvalidArgument, await Refused(new ListCallsRequest { CampaignId = "x" }));
    }

    [Fact]
    public async Task A_recording_link_serves_the_file_with_ranges_until_it_expires_and_a_tampered_one_is_forbidden()
    {
        var callId = await _db.StartCallAsync(_db.Client);
        var audio = Enumerable.Range(0, 5000).Select(i => (byte)(i * 7)).ToArray();
        await File.WriteAllBytesAsync(Path.Combine(_data, "call.opus"), audio);
        await _db.Store.AddRecordingAsync(new RecordingReady(callId, _db.Client) { Path = "call.opus", DurationMs = 4000, Bytes = audio.Length, Codec = "opus", Channels = 2 }, CancellationToken.None);
        var withoutRecording = await _db.StartCallAsync(_db.Client);

        var link = await _service.GetRecordingLinkAsync(new GetRecordingLinkRequest { CallId = callId.ToString(), ExpiresInSeconds = 120 }, Context(_clientKey, "GetRecordingLink"));
        Assert.StartsWith($"{_baseUrl.ToString().TrimEnd('/')}/recordings/{callId}?org={_db.Client}&expires=", link.Url, StringComparison.Ordinal);
        Assert.Equal(4000, link.DurationMs);
        Assert.Equal(audio.Length, link.Bytes);
        Assert.Equal("audio/ogg; codecs=opus", link.ContentType);
        Assert.InRange((link.ExpiresAt.ToDateTimeOffset() - _time.GetUtcNow()).TotalSeconds, 118, 121);

        using var client = new HttpClient();
        using (var response = await client.GetAsync(new Uri(link.Url)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("audio/ogg", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(audio, await response.Content.ReadAsByteArrayAsync());
        }

        using (var range = new HttpRequestMessage(HttpMethod.Get, new Uri(link.Url)) { Headers = { Range = new RangeHeaderValue(100, 199) } })
        using (var response = await client.SendAsync(range))
        {
            Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
            Assert.Equal(audio[100..200], await response.Content.ReadAsByteArrayAsync());
        }

        using (var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri(link.Url))))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(audio.Length, head.Content.Headers.ContentLength);
        }

        // Another node (its own RecordingLinks over the same database) accepts the link too.
        var otherNode = new RecordingLinks(_db.DataSource, () => _baseUrl, _time, _db.Meters);
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(link.Url).Query);
        Assert.Equal(RecordingLinkCheck.Valid, await otherNode.CheckAsync(callId.ToString("D"), query["org"], query["expires"], query["sig"], CancellationToken.None));

        var tamperedSignature = link.Url[..^2] + (link.Url[^2] == 'A' ? "BB" : "AA");
        var otherCall = link.Url.Replace(callId.ToString(), withoutRecording.ToString(), StringComparison.Ordinal);
        var longerLife = link.Url.Replace($"expires={query["expires"]}", $"expires={long.Parse(query["expires"]!, System.Globalization.CultureInfo.InvariantCulture) + 3600}", StringComparison.Ordinal);
        var unsigned = link.Url[..link.Url.IndexOf("&sig=", StringComparison.Ordinal)];
        foreach (var forged in new[] { tamperedSignature, otherCall, longerLife, unsigned })
        {
            await AssertForbiddenAsync(client, forged);
        }

        _time.Offset = TimeSpan.FromSeconds(121);
        await AssertForbiddenAsync(client, link.Url);

        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<GrpcException>(() => _service.GetRecordingLinkAsync(new GetRecordingLinkRequest { CallId = withoutRecording.ToString() }, Context(_clientKey, "GetRecordingLink")))).Status);
        Assert.Equal(StatusCode.InvalidArgument, (await Assert.ThrowsAsync<GrpcException>(() => _service.GetRecordingLinkAsync(new GetRecordingLinkRequest { CallId = callId.ToString(), ExpiresInSeconds = 30 }, Context(_clientKey, "GetRecordingLink")))).Status);
        var otherKey = await _db.KeyAsync("Other");
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<GrpcException>(() => _service.GetRecordingLinkAsync(new GetRecordingLinkRequest { CallId = callId.ToString() }, Context(otherKey, "GetRecordingLink")))).Status);
    }

    [Fact]
    public async Task GetTranscript_says_none_for_a_visible_call_and_not_found_otherwise()
    {
        var callId = await _db.StartCallAsync(_db.Client);
        var transcript = await _service.GetTranscriptAsync(new GetTranscriptRequest { CallId = callId.ToString() }, Context(_clientKey, "GetTranscript"));
        Assert.Equal("none", transcript.Status);
        Assert.Equal(callId.ToString(), transcript.CallId);
        Assert.Empty(transcript.Segments);
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<GrpcException>(() => _service.GetTranscriptAsync(new GetTranscriptRequest { CallId = Guid.NewGuid().ToString() }, Context(_clientKey, "GetTranscript")))).Status);
    }

    [Fact]
    public async Task GetTranscript_is_pending_while_queued_then_done_with_segments_in_time_order_and_ListCalls_finds_the_call_by_its_words()
    {
        var callId = await _db.StartCallAsync(_db.Client, callerName: "Carl");
        var other = await _db.StartCallAsync(_db.Client, callerName: "Dora");
        var recordingId = await _db.ScalarAsync<Guid>($"INSERT INTO recordings (call_id, path, codec, channels) VALUES ('{callId}', '/nowhere.opus', 'opus', 2) RETURNING id");
        await _db.ScalarAsync<Guid>($"INSERT INTO transcription_jobs (call_id, recording_id) VALUES ('{callId}', '{recordingId}') RETURNING id");
        Assert.Equal("pending", (await _service.GetTranscriptAsync(new GetTranscriptRequest { CallId = callId.ToString() }, Context(_clientKey, "GetTranscript"))).Status);

        var transcriptId = await _db.ScalarAsync<Guid>($"INSERT INTO transcripts (call_id, recording_id, status, language, full_text) VALUES ('{callId}', '{recordingId}', 'ready', 'en', 'hello I would like to book a plumber tomorrow') RETURNING id");
        await using (var segments = _db.DataSource.CreateCommand($"""
            INSERT INTO transcript_segments (transcript_id, speaker, start_ms, end_ms, text, confidence) VALUES
              ('{transcriptId}', 'business', 1500, 2500, 'tomorrow works', 0.8),
              ('{transcriptId}', 'caller', 200, 1400, 'I would like to book a plumber', 0.9)
            """))
        {
            await segments.ExecuteNonQueryAsync();
        }

        await using (var done = _db.DataSource.CreateCommand($"UPDATE transcription_jobs SET state = 'done' WHERE call_id = '{callId}'"))
        {
            await done.ExecuteNonQueryAsync();
        }

        var transcript = await _service.GetTranscriptAsync(new GetTranscriptRequest { CallId = callId.ToString() }, Context(_clientKey, "GetTranscript"));
        Assert.Equal(("done", "en"), (transcript.Status, transcript.Language));
        Assert.Equal([("caller", 200L, "I would like to book a plumber"), ("business", 1500L, "tomorrow works")], transcript.Segments.Select(s => (s.Speaker, s.StartMs, s.Text)));
        Assert.Equal("none", (await _service.GetTranscriptAsync(new GetTranscriptRequest { CallId = other.ToString() }, Context(_clientKey, "GetTranscript"))).Status);

        // Words of the transcript (web-search syntax), not only the caller's number or name.
        Assert.Equal(callId.ToString(), Assert.Single((await _service.ListCallsAsync(new ListCallsRequest { Text = "plumber" }, Context(_clientKey, "ListCalls"))).Calls).Id);
        Assert.Equal(callId.ToString(), Assert.Single((await _service.ListCallsAsync(new ListCallsRequest { Text = "\"book a plumber\"" }, Context(_clientKey, "ListCalls"))).Calls).Id);
        Assert.Empty((await _service.ListCallsAsync(new ListCallsRequest { Text = "electrician" }, Context(_clientKey, "ListCalls"))).Calls);
        Assert.Equal(other.ToString(), Assert.Single((await _service.ListCallsAsync(new ListCallsRequest { Text = "dora" }, Context(_clientKey, "ListCalls"))).Calls).Id);
    }

    private static ServerCallContext Context(string? key, string method) => EventsDatabase.Context(key, "/calltracking.v1.Calls/" + method);

    private static async Task AssertForbiddenAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(new Uri(url));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
