using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using CallTracking.Engine.Storage;
using CallTracking.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CallTracking.IntegrationTests.Storage;

/// <summary>The call record against a real PostgreSQL: state and its event commit together or not at all.</summary>
public sealed class CallRecordStoreTests(PostgresServer server) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private NpgsqlDataSource _dataSource = null!;
    private Guid _organisation;

    public async Task InitializeAsync()
    {
        _dataSource = NpgsqlDataSource.Create(await server.CreateDatabaseAsync());
        await new MigrationRunner(_dataSource, NullLogger<MigrationRunner>.Instance).ApplyAsync(CancellationToken.None);
        await using var insert = _dataSource.CreateCommand("INSERT INTO organisations (name) VALUES ('Acme') RETURNING id");
        _organisation = (Guid)(await insert.ExecuteScalarAsync())!;
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    [Fact]
    public async Task Start_answer_end_write_the_call_its_inbound_leg_and_three_events_in_order()
    {
        var store = new CallRecordStore(_dataSource);
        var callId = await store.StartCallAsync(NewCall(), CancellationToken.None);
        await store.AppendEventAsync(callId, _organisation, CallEventKinds.Ringing, new JsonObject { ["destination"] = "+15550000000" }, CancellationToken.None);
        await store.MarkAnsweredAsync(new CallAnswered(callId, _organisation, T0.AddSeconds(4.5)), CancellationToken.None);
        await store.EndCallAsync(new CallEnded(callId, _organisation, T0.AddSeconds(64.5), CallDisposition.Answered) { HangupBy = HangupParty.Caller, SipReason = "BYE", PacketsLost = 3, JitterMs = 12.5, Mos = 4.2 }, CancellationToken.None);

        await using (var call = _dataSource.CreateCommand("SELECT answered_at, ended_at, ring_seconds, talk_seconds, disposition, hangup_by, sip_reason, packets_lost, mos FROM calls WHERE id = $1"))
        {
            call.Parameters.Add(new() { Value = callId });
            await using var reader = await call.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal(T0.AddSeconds(4.5), reader.GetFieldValue<DateTimeOffset>(0));
            Assert.Equal(T0.AddSeconds(64.5), reader.GetFieldValue<DateTimeOffset>(1));
            Assert.Equal(4.5m, reader.GetDecimal(2));
            Assert.Equal(60m, reader.GetDecimal(3));
            Assert.Equal("answered", reader.GetString(4));
            Assert.Equal("caller", reader.GetString(5));
            Assert.Equal("BYE", reader.GetString(6));
            Assert.Equal(3L, reader.GetInt64(7));
            Assert.Equal(4.2, reader.GetDouble(8));
        }

        await using (var legs = _dataSource.CreateCommand("SELECT direction, destination, answered_at IS NOT NULL, ended_at IS NOT NULL FROM call_legs WHERE call_id = $1"))
        {
            legs.Parameters.Add(new() { Value = callId });
            await using var reader = await legs.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal("inbound", reader.GetString(0));
            Assert.Equal("+15551230001", reader.GetString(1));
            Assert.True(reader.GetBoolean(2));
            Assert.True(reader.GetBoolean(3));
            Assert.False(await reader.ReadAsync());
        }

        var events = await EventsAsync(callId);
        Assert.Equal([CallEventKinds.Started, CallEventKinds.Ringing, CallEventKinds.Answered, CallEventKinds.Ended], events.Select(e => e.Kind));
        Assert.True(events.Zip(events.Skip(1)).All(p => p.First.Id < p.Second.Id));
        var ended = JsonNode.Parse(events[^1].Payload)!;
        Assert.Equal("answered", (string?)ended["disposition"]);
        Assert.Equal(60m, (decimal?)ended["talkSeconds"]);
        Assert.Equal("+15551230001", (string?)JsonNode.Parse(events[0].Payload)!["trackingNumber"]);
    }

    [Fact]
    public async Task A_failing_event_insert_leaves_neither_the_state_nor_the_event()
    {
        var store = new CallRecordStore(_dataSource);
        var callId = await store.StartCallAsync(NewCall(), CancellationToken.None);
        await using (var trigger = _dataSource.CreateCommand(
            """
            CREATE FUNCTION refuse_answered() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.kind = 'call.answered' THEN RAISE EXCEPTION 'refused by test'; END IF; RETURN NEW; END $$;
            CREATE TRIGGER refuse_answered BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION refuse_answered();
            """))
        {
            await trigger.ExecuteNonQueryAsync();
        }

        try
        {
            await Assert.ThrowsAsync<PostgresException>(() => store.MarkAnsweredAsync(new CallAnswered(callId, _organisation, T0.AddSeconds(2)), CancellationToken.None));
        }
        finally
        {
            await using var drop = _dataSource.CreateCommand("DROP TRIGGER refuse_answered ON events; DROP FUNCTION refuse_answered()");
            await drop.ExecuteNonQueryAsync();
        }

        await using var answered = _dataSource.CreateCommand("SELECT (SELECT answered_at FROM calls WHERE id = $1) IS NULL AND (SELECT answered_at FROM call_legs WHERE call_id = $1) IS NULL");
        answered.Parameters.Add(new() { Value = callId });
        Assert.True((bool)(await answered.ExecuteScalarAsync())!);
        Assert.Equal([CallEventKinds.Started], (await EventsAsync(callId)).Select(e => e.Kind));

        // A failing state statement (unknown organisation) leaves no event either.
        var orphan = NewCall() with { OrganisationId = Guid.NewGuid() };
        await Assert.ThrowsAsync<PostgresException>(() => store.StartCallAsync(orphan, CancellationToken.None));
        Assert.Empty(await EventsAsync(orphan.CallId));
    }

    [Fact]
    public async Task Outbound_leg_bridged_and_recording_write_their_rows_and_events()
    {
        var store = new CallRecordStore(_dataSource);
        var callId = await store.StartCallAsync(NewCall(), CancellationToken.None);
        var legId = await store.AddLegAsync(new CallLegStarted(callId, _organisation, "+15557654321", T0.AddSeconds(1)) { Trunk = "out" }, CancellationToken.None);
        await store.UpdateLegAsync(new CallLegUpdate(legId, callId, _organisation) { AnsweredAt = T0.AddSeconds(6), FinalStatus = 200, Bridged = true }, CancellationToken.None);
        await store.AddRecordingAsync(new RecordingReady(callId, _organisation) { Path = "r.opus", DurationMs = 60_000, Bytes = 1234, Codec = "opus", Channels = 2 }, CancellationToken.None);

        Assert.Equal([CallEventKinds.Started, CallEventKinds.Bridged, CallEventKinds.RecordingReady], (await EventsAsync(callId)).Select(e => e.Kind));
        await using var leg = _dataSource.CreateCommand("SELECT direction, final_status FROM call_legs WHERE id = $1");
        leg.Parameters.Add(new() { Value = legId });
        await using var reader = await leg.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("outbound", reader.GetString(0));
        Assert.Equal(200, reader.GetInt32(1));
    }

    [Fact]
    public async Task A_recording_deleted_while_its_call_was_live_is_not_stored_when_the_recorder_finishes()
    {
        var store = new CallRecordStore(_dataSource);
        var callId = await store.StartCallAsync(NewCall(), CancellationToken.None);
        var kept = await store.StartCallAsync(NewCall(), CancellationToken.None);
        var leftover = Path.Combine(Path.GetTempPath(), $"deleted-{Guid.NewGuid():N}.opus");
        await File.WriteAllBytesAsync(leftover, [1, 2, 3]);
        await using (var delete = _dataSource.CreateCommand("UPDATE calls SET recording_deleted_at = now() WHERE id = $1"))
        {
            delete.Parameters.Add(new() { Value = callId });
            await delete.ExecuteNonQueryAsync();
        }

        await store.AddRecordingAsync(new RecordingReady(callId, _organisation) { Path = leftover, DurationMs = 5_000, Bytes = 3, Codec = "opus", Channels = 2 }, CancellationToken.None);
        await store.AddRecordingAsync(new RecordingReady(kept, _organisation) { Path = "kept.opus", DurationMs = 5_000, Bytes = 3, Codec = "opus", Channels = 2 }, CancellationToken.None);

        Assert.False(File.Exists(leftover));
        Assert.Equal([CallEventKinds.Started], (await EventsAsync(callId)).Select(e => e.Kind));
        Assert.Equal([CallEventKinds.Started, CallEventKinds.RecordingReady], (await EventsAsync(kept)).Select(e => e.Kind));
        await using var count = _dataSource.CreateCommand("SELECT call_id FROM recordings");
        Assert.Equal(kept, (Guid)(await count.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Number_lookup_returns_the_organisation_campaign_and_the_campaign_default_plan()
    {
        await using (var setup = _dataSource.CreateCommand(
            """
            WITH p AS (INSERT INTO routing_plans (organisation_id, name, definition) VALUES ($1, 'main', '{"Forward":[{"To":"+15557654321","Trunk":"office"}]}') RETURNING id),
                 c AS (INSERT INTO campaigns (organisation_id, name, default_plan_id) SELECT $1, 'Google Ads', id FROM p RETURNING id)
            INSERT INTO tracking_numbers (number, organisation_id, campaign_id, name) SELECT '+15551239999', $1, id, 'Ads line' FROM c
            """))
        {
            setup.Parameters.Add(new() { Value = _organisation });
            await setup.ExecuteNonQueryAsync();
        }

        var lookup = new NumberLookup(_dataSource);
        var found = await lookup.FindNumberAsync("+15551239999", CancellationToken.None);
        var missing = await lookup.FindNumberAsync("+15550000001", CancellationToken.None);

        Assert.NotNull(found);
        Assert.Equal(_organisation, found.OrganisationId);
        Assert.Equal("Google Ads", found.CampaignName);
        Assert.Equal("Ads line", found.Name);
        Assert.NotNull(found.PlanId);
        Assert.Equal("+15557654321", (string?)JsonNode.Parse(found.PlanDefinitionJson!)!["Forward"]![0]!["To"]);
        Assert.Null(missing);
    }

    [Fact]
    public async Task Writer_applies_queued_writes_in_order_and_drains_on_stop()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var writer = new CallRecordWriter(new CallRecordStore(_dataSource), TimeProvider.System, services.GetRequiredService<IMeterFactory>(), NullLogger<CallRecordWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);
        var calls = Enumerable.Range(0, 20).Select(_ => NewCall()).ToList();
        foreach (var call in calls)
        {
            Assert.True(writer.Enqueue(CallRecordOperation.Start(call)));
            Assert.True(writer.Enqueue(CallRecordOperation.Answer(new CallAnswered(call.CallId, _organisation, T0.AddSeconds(3)))));
            Assert.True(writer.Enqueue(CallRecordOperation.End(new CallEnded(call.CallId, _organisation, T0.AddSeconds(9), CallDisposition.Answered))));
        }

        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(0, writer.QueueDepth);
        Assert.False(writer.Enqueue(CallRecordOperation.Start(NewCall())));
        foreach (var call in calls)
        {
            Assert.Equal([CallEventKinds.Started, CallEventKinds.Answered, CallEventKinds.Ended], (await EventsAsync(call.CallId)).Select(e => e.Kind));
        }
    }

    [Fact]
    public async Task Writer_counts_a_refused_write_and_goes_on_with_the_next()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        long writes = 0, failures = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == CallRecordWriter.MeterName && instrument.Meter.Scope == meters)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "calltracking.storage.writes")
            {
                Interlocked.Add(ref writes, value);
            }
            else if (instrument.Name == "calltracking.storage.write_failures")
            {
                Interlocked.Add(ref failures, value);
            }
        });
        listener.Start();
        using var writer = new CallRecordWriter(new CallRecordStore(_dataSource), TimeProvider.System, meters, NullLogger<CallRecordWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);
        var call = NewCall();

        // Answering a call that was never started: the store refuses it; the start after it must still be written.
        writer.Enqueue(CallRecordOperation.Answer(new CallAnswered(Guid.NewGuid(), _organisation, T0)));
        writer.Enqueue(CallRecordOperation.Start(call));
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(1, Interlocked.Read(ref failures));
        Assert.Equal(1, Interlocked.Read(ref writes));
        Assert.Equal([CallEventKinds.Started], (await EventsAsync(call.CallId)).Select(e => e.Kind));
    }

    private CallStarted NewCall() => new(_organisation, "+15551230001", Guid.NewGuid().ToString("N") + "@127.0.0.1", T0)
    {
        Trunk = "carrier",
        CallerNumber = "+442071234567",
    };

    private async Task<List<(long Id, string Kind, string Payload)>> EventsAsync(Guid callId)
    {
        await using var command = _dataSource.CreateCommand("SELECT id, kind, payload::text FROM events WHERE call_id = $1 ORDER BY id");
        command.Parameters.Add(new() { Value = callId });
        await using var reader = await command.ExecuteReaderAsync();
        var events = new List<(long, string, string)>();
        while (await reader.ReadAsync())
        {
            events.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
        }

        return events;
    }
}
