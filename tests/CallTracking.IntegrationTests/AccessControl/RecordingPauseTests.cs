using System.Net;
using System.Net.Http.Headers;
using CallTracking.IntegrationTests.Audio;
using CallTracking.IntegrationTests.Infrastructure;
using CallTracking.IntegrationTests.Infrastructure.GrpcPeers;
using Npgsql;

namespace CallTracking.IntegrationTests.AccessControl;

/// <summary>
/// PCI recording pause on a real call: sipp calls Alpha's recording number; the recording is paused and resumed by
/// the configured keys (*1, *2, sipp's RFC 4733 captures) or by REST and gRPC while the call is live. Each pause
/// leaves a span with the recording, events and audit entries.
/// </summary>
[Collection(SippCollection.Name)]
public sealed class RecordingPauseTests(AccessControlFixture fixture) : IClassFixture<AccessControlFixture>
{
    [Fact]
    public async Task Keying_star_1_then_star_2_pauses_and_resumes_the_recording_with_a_span_events_and_audit_rows()
    {
        var scenario = SippAudio.WriteDtmfScenario(fixture.Directory, "5*15*2", TimeSpan.FromMilliseconds(600));
        var uac = await Sipp.RunAsync(fixture.Directory, new SippOptions
        {
            Name = "uac-dtmf",
            Scenario = scenario,
            Service = AccessControlFixture.AlphaNumber,
            Remote = $"127.0.0.1:{fixture.Engine.SipPort}",
            Calls = 1,
            Timeout = TimeSpan.FromSeconds(20),
        });
        Assert.True(uac.ExitCode == 0, uac.Describe(fixture.Engine));
        var sipCallId = uac.Messages[0].CallId!;
        var call = await WaitForRecordingAsync(sipCallId);

        var spans = await SpansAsync(call);
        var span = Assert.Single(spans);
        // Paused after "*1" (keys 2-3) and resumed after "*2" (keys 5-6): three keys of about 700 ms apart.
        Assert.InRange(span.EndMs - span.StartMs, 1200, 3500);
        Assert.Equal(["recording.pause", "recording.resume"], await AuditAsync(call, "dtmf"));
        Assert.Equal(2, await fixture.ScalarAsync<long>("select count(*) from events where call_id = $1 and kind in ('recording.paused', 'recording.resumed')", call));

        // The keys pressed while paused ("5", "*", "2") are not stored as digits; the others are.
        Assert.Equal(3, await fixture.ScalarAsync<long>("select count(*) from events where call_id = $1 and kind = 'call.dtmf' and payload->>'redacted' = 'true'", call));
    }

    [Fact]
    public async Task Pause_and_resume_by_REST_and_gRPC_while_the_call_is_live()
    {
        var scenario = SippAudio.WriteDtmfScenario(fixture.Directory, "9", TimeSpan.FromSeconds(8));
        await using var sipp = await Sipp.StartAsync(fixture.Directory, new SippOptions
        {
            Name = "uac-live",
            Scenario = scenario,
            Service = AccessControlFixture.AlphaNumber,
            Remote = $"127.0.0.1:{fixture.Engine.SipPort}",
            Calls = 1,
            Timeout = TimeSpan.FromSeconds(25),
        });

        var call = Guid.Empty;
        for (var i = 0; i < 100 && call == Guid.Empty; i++)
        {
            await Task.Delay(100);
            call = await fixture.ScalarAsync<Guid?>("select id from calls where tracking_number = $1 and ended_at is null and answered_at is not null order by started_at desc limit 1", AccessControlFixture.AlphaNumber) ?? Guid.Empty;
        }

        Assert.NotEqual(Guid.Empty, call);
        using (var analyst = await PostAsync($"v1/calls/{call}/recording/pause", fixture.Keys["analyst"]))
        {
            Assert.Equal(HttpStatusCode.Forbidden, analyst.StatusCode);
        }

        using (var paused = await PostAsync($"v1/calls/{call}/recording/pause", fixture.Keys["manager"]))
        {
            Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
            Assert.Contains("\"changed\":true", await paused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var again = await PostAsync($"v1/calls/{call}/recording/pause", fixture.Keys["manager"]))
        {
            Assert.Contains("\"changed\":false", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await Task.Delay(1500);
        var resumed = await PythonGrpc.CallAsync(
            new GrpcClientCall
            {
                Target = fixture.GrpcTarget,
                ProtoRoot = GrpcPeerPaths.EngineProtoRoot,
                Method = "/calltracking.v1.Calls/ResumeRecording",
                RequestJson = $$"""{"call_id":"{{call}}"}""",
                Metadata = [new("authorization", "Bearer " + fixture.Keys["org_admin"])],
                Timeout = TimeSpan.FromSeconds(10),
            },
            fixture.Directory);
        Assert.True(resumed.Status == "OK", resumed.Describe());
        Assert.True(resumed.Messages[0].GetProperty("changed").GetBoolean());

        await WaitForRecordingAsync(null, call);
        var span = Assert.Single(await SpansAsync(call));
        Assert.InRange(span.EndMs - span.StartMs, 1000, 5000);
        var actors = await AuditActorsAsync(call);
        Assert.Contains(("recording.pause", "key:" + fixture.Keys["manager"][4..12]), actors);
        Assert.Contains(("recording.resume", "key:" + fixture.Keys["org_admin"][4..12]), actors);

        // An ended call can no longer be paused.
        using var ended = await PostAsync($"v1/calls/{call}/recording/pause", fixture.Keys["manager"]);
        Assert.Equal(HttpStatusCode.Conflict, ended.StatusCode);
    }

    private async Task<Guid> WaitForRecordingAsync(string? sipCallId, Guid call = default)
    {
        for (var i = 0; i < 150; i++)
        {
            var found = sipCallId is null
                ? await fixture.ScalarAsync<Guid?>("select call_id from recordings where call_id = $1", call)
                : await fixture.ScalarAsync<Guid?>("select r.call_id from recordings r join calls c on c.id = r.call_id where c.sip_call_id = $1", sipCallId);
            if (found is { } id)
            {
                return id;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the call's recording row never appeared\n" + fixture.Engine.LogTail(40));
    }

    private async Task<List<(long StartMs, long EndMs)>> SpansAsync(Guid call)
    {
        await using var dataSource = NpgsqlDataSource.Create(fixture.Database);
        await using var command = dataSource.CreateCommand("select (s->>'startMs')::bigint, (s->>'endMs')::bigint from recordings r, jsonb_array_elements(r.paused_spans) s where r.call_id = $1");
        command.Parameters.Add(new() { Value = call });
        await using var reader = await command.ExecuteReaderAsync();
        var spans = new List<(long, long)>();
        while (await reader.ReadAsync())
        {
            spans.Add((reader.GetInt64(0), reader.GetInt64(1)));
        }

        return spans;
    }

    private async Task<List<string>> AuditAsync(Guid call, string actor) =>
        [.. (await AuditActorsAsync(call)).Where(a => a.Actor == actor).Select(a => a.Action)];

    private async Task<List<(string Action, string Actor)>> AuditActorsAsync(Guid call)
    {
        await using var dataSource = NpgsqlDataSource.Create(fixture.Database);
        await using var command = dataSource.CreateCommand("select action, actor from audit_log where subject = $1 and action like 'recording.%' order by seq");
        command.Parameters.Add(new() { Value = "call:" + call });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }

    private async Task<HttpResponseMessage> PostAsync(string path, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await fixture.Http.SendAsync(request);
    }
}
