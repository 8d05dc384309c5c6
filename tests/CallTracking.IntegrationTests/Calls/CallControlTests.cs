using System.Globalization;
using CallTracking.IntegrationTests.Audio;
using CallTracking.IntegrationTests.Infrastructure;
using CallTracking.IntegrationTests.Sip;
using Npgsql;
using Xunit.Abstractions;

namespace CallTracking.IntegrationTests.Calls;

/// <summary>
/// The B2BUA end to end: sipp as the carrier's caller, the engine (with its call record in PostgreSQL), sipp as
/// the business phone behind an outbound trunk. Each test checks what the peers saw and the calls, legs and
/// events rows.
/// </summary>
[Collection(SippCollection.Name)]
public sealed class CallControlTests(PostgresServer server, ITestOutputHelper output) : IClassFixture<PostgresServer>
{
    private const string Destination = "+15559870001";
    private const string SecondDestination = "+15559870002";

    [Fact]
    public async Task Call_is_announced_forwarded_and_bridged_with_audio_both_ways_and_recorded()
    {
        var directory = TestDirectory.Create();
        var businessPort = FreePorts.Next();
        var plan = Plan(directory, Forward(Destination, "business"));
        await using var engine = await StartEngineAsync(directory, plan, [Trunk("business", businessPort)]);
        await using var business = await Sipp.StartAsync(directory, BusinessPeer("business", "peers/uas_ring_answer_echo.xml", businessPort));

        var caller = TestAudio.Sweep(TimeSpan.FromSeconds(5));
        var uac = await CallAsync(directory, engine, caller, TimeSpan.FromSeconds(5.5));
        var callId = uac.Messages[0].CallId!;
        var businessResult = await business.WaitForExitAsync(TimeSpan.FromSeconds(10));
        Assert.True(businessResult.AllSucceeded, businessResult.Describe(engine));

        // The tracking number travels to the business in Diversion (RFC 5806).
        var invite = SippAgainstEngine.Single(businessResult, m => m.Received && m.Method == "INVITE");
        Assert.Contains(Destination, invite.StartLine, StringComparison.Ordinal);
        Assert.Contains("15551230001", invite.Header("Diversion") ?? string.Empty, StringComparison.Ordinal);

        var row = await WaitForCallAsync(engine, callId);
        Assert.Equal("answered", row.Disposition);
        Assert.Equal("caller", row.HangupBy);
        Assert.NotNull(row.AnsweredAt);
        Assert.InRange(row.RingSeconds, 0.8, 4.0);
        Assert.InRange(row.TalkSeconds, 2.0, 6.0);
        Assert.NotNull(row.OrganisationId);
        Assert.NotNull(row.CampaignId);
        Assert.NotNull(row.NumberId);

        // Loopback RTP: no loss, little jitter, so the E-model gives G.711 its best (about 4.4).
        Assert.NotNull(row.Mos);
        Assert.InRange(row.Mos.Value, 4.0, 4.5);

        var events = await CallRecords.EventsAsync(_database, row.Id);
        Assert.Equal(["call.started", "call.ringing", "call.answered", "call.bridged", "call.ended", "recording.ready"], events.Where(e => e != "call.dtmf"));
        var legs = await CallRecords.LegsAsync(_database, row.Id);
        Assert.Equal([(Destination, 200)], legs);

        // The leg keeps its own Call-ID: the one the business saw, to find the call in its logs.
        Assert.Equal([invite.CallId], await CallRecords.LegCallIdsAsync(_database, row.Id));

        // Left: the caller; right: the notice, then the business's echo of the caller.
        Assert.NotNull(row.RecordingPath);
        var recording = await OpusFiles.DecodeStereoAsync(row.RecordingPath!);
        var rate = recording.Right.SampleRate;
        Assert.NotNull(Levels.ActiveSpan(recording.Left));
        var notice = recording.Right.Slice(0, rate * 9 / 10);
        var echo = recording.Right.Slice(rate * 5 / 2, rate * 2);
        output.WriteLine($"right channel: notice {Levels.Dbfs(notice):0.0} dBFS, echo {Levels.Dbfs(echo):0.0} dBFS");
        Assert.True(Levels.Dbfs(notice) > -30, $"notice {Levels.Dbfs(notice):0.0} dBFS");
        Assert.True(Levels.Dbfs(echo) > -30, $"echo {Levels.Dbfs(echo):0.0} dBFS");
    }

    [Fact]
    public async Task Nobody_answers_in_the_ring_time_so_the_caller_leaves_a_voicemail()
    {
        var directory = TestDirectory.Create();
        var businessPort = FreePorts.Next();
        var plan = Plan(directory, Forward(Destination, "business", ringSeconds: 5));
        plan["Voicemail"] = new { Greeting = ToneWav(directory, "greeting", 600, 0.5), MaxSeconds = 20 };
        await using var engine = await StartEngineAsync(directory, plan, [Trunk("business", businessPort)]);
        await using var business = await Sipp.StartAsync(directory, BusinessPeer("business", "peers/uas_ringing_until_cancel.xml", businessPort));

        // Notice 1 s, ringing 5 s (the shortest ring time), greeting 0.5 s: the caller speaks into voicemail until 9 s.
        var uac = await CallAsync(directory, engine, TestAudio.Sweep(TimeSpan.FromSeconds(9)), TimeSpan.FromSeconds(9.5));
        var callId = uac.Messages[0].CallId!;
        var businessResult = await business.WaitForExitAsync(TimeSpan.FromSeconds(10));
        Assert.True(businessResult.AllSucceeded, businessResult.Describe(engine));
        Assert.Contains(businessResult.Messages, m => m.Received && m.Method == "CANCEL");

        var row = await WaitForCallAsync(engine, callId);
        Assert.Equal("voicemail", row.Disposition);
        Assert.Null(row.AnsweredAt);
        Assert.Equal([(Destination, 408)], await CallRecords.LegsAsync(_database, row.Id));
        var recording = await OpusFiles.DecodeStereoAsync(row.RecordingPath!);
        var rate = recording.Left.SampleRate;

        // The greeting tone on the right after notice and ringing; the caller's message on the left after it.
        var greeting = recording.Right.Slice(rate * 61 / 10, rate * 3 / 10);
        var message = recording.Left.Slice(rate * 7, rate * 2);
        output.WriteLine($"greeting {Levels.Dbfs(greeting):0.0} dBFS, message {Levels.Dbfs(message):0.0} dBFS");
        Assert.True(Levels.Dbfs(greeting) > -30, $"greeting {Levels.Dbfs(greeting):0.0} dBFS");
        Assert.True(Levels.Dbfs(message) > -30, $"message {Levels.Dbfs(message):0.0} dBFS");
    }

    [Fact]
    public async Task Busy_first_destination_makes_the_second_ring_and_answer()
    {
        var directory = TestDirectory.Create();
        var busyPort = FreePorts.Next();
        var businessPort = FreePorts.Next();
        var plan = Plan(directory, Forward(Destination, "busy"), Forward(SecondDestination, "business"));
        await using var engine = await StartEngineAsync(directory, plan, [Trunk("busy", busyPort), Trunk("business", businessPort)]);
        await using var busy = await Sipp.StartAsync(directory, BusinessPeer("busy", "peers/uas_486.xml", busyPort));
        await using var business = await Sipp.StartAsync(directory, BusinessPeer("business", "peers/uas_ring_answer_echo.xml", businessPort));

        var uac = await CallAsync(directory, engine, TestAudio.Sweep(TimeSpan.FromSeconds(3)), TimeSpan.FromSeconds(3.5));
        var callId = uac.Messages[0].CallId!;
        Assert.True((await busy.WaitForExitAsync(TimeSpan.FromSeconds(10))).AllSucceeded);
        var businessResult = await business.WaitForExitAsync(TimeSpan.FromSeconds(10));
        Assert.True(businessResult.AllSucceeded, businessResult.Describe(engine));

        var row = await WaitForCallAsync(engine, callId);
        Assert.Equal("answered", row.Disposition);
        Assert.Equal([(Destination, 486), (SecondDestination, 200)], await CallRecords.LegsAsync(_database, row.Id));
        Assert.Contains("call.bridged", await CallRecords.EventsAsync(_database, row.Id));
    }

    [Fact]
    public async Task Simultaneous_destinations_ring_at_once_the_first_answer_wins_and_the_other_is_cancelled()
    {
        var directory = TestDirectory.Create();
        var ringingPort = FreePorts.Next();
        var businessPort = FreePorts.Next();
        var plan = Plan(directory, Forward(Destination, "ringing"), Forward(SecondDestination, "business"));
        plan["ForwardMode"] = "simultaneous";
        await using var engine = await StartEngineAsync(directory, plan, [Trunk("ringing", ringingPort), Trunk("business", businessPort)]);
        await using var ringing = await Sipp.StartAsync(directory, BusinessPeer("ringing", "peers/uas_ringing_until_cancel.xml", ringingPort));
        await using var business = await Sipp.StartAsync(directory, BusinessPeer("business", "peers/uas_ring_answer_echo.xml", businessPort));

        var uac = await CallAsync(directory, engine, TestAudio.Sweep(TimeSpan.FromSeconds(3)), TimeSpan.FromSeconds(3.5));
        var ringingResult = await ringing.WaitForExitAsync(TimeSpan.FromSeconds(10));
        Assert.True(ringingResult.AllSucceeded, ringingResult.Describe(engine));
        Assert.Contains(ringingResult.Messages, m => m.Received && m.Method == "CANCEL");
        var businessResult = await business.WaitForExitAsync(TimeSpan.FromSeconds(10));
        Assert.True(businessResult.AllSucceeded, businessResult.Describe(engine));

        var row = await WaitForCallAsync(engine, uac.Messages[0].CallId!);
        Assert.Equal("answered", row.Disposition);
        Assert.Equal([(Destination, 487), (SecondDestination, 200)], (await CallRecords.LegsAsync(_database, row.Id)).OrderBy(l => l.Destination));
    }

    [Fact]
    public async Task Whisper_plays_to_the_business_before_the_bridge()
    {
        var directory = TestDirectory.Create();
        var businessPort = FreePorts.Next();
        var plan = Plan(directory, Forward(Destination, "business"));
        plan["Whisper"] = ToneWav(directory, "whisper", 800, 1.5);
        await using var engine = await StartEngineAsync(directory, plan, [Trunk("business", businessPort)]);
        await using var business = await Sipp.StartAsync(directory, BusinessPeer("business", "peers/uas_ring_answer_echo.xml", businessPort));

        var uac = await CallAsync(directory, engine, TestAudio.Sweep(TimeSpan.FromSeconds(4)), TimeSpan.FromSeconds(4.5));
        var callId = uac.Messages[0].CallId!;
        Assert.True((await business.WaitForExitAsync(TimeSpan.FromSeconds(10))).AllSucceeded);

        var answered = Media.MediaCalls.LoggedAt(engine, $"Call {callId}: {Destination} answered");
        var bridged = Media.MediaCalls.LoggedAt(engine, $"Call {callId}: bridged with {Destination}");
        Assert.True(answered is not null && bridged is not null, engine.LogTail(40));
        Assert.InRange((bridged.Value - answered.Value).TotalSeconds, 1.45, 2.5);

        // Answered when the business answered, bridged after the whisper.
        var row = await WaitForCallAsync(engine, callId);
        Assert.Equal("answered", row.Disposition);
        Assert.Contains("call.bridged", await CallRecords.EventsAsync(_database, row.Id));
    }

    [Fact]
    public async Task Callers_hold_is_relayed_to_the_business_as_a_sendonly_reinvite()
    {
        var directory = TestDirectory.Create();
        var businessPort = FreePorts.Next();
        var plan = Plan(directory, Forward(Destination, "business"));
        await using var engine = await StartEngineAsync(directory, plan, [Trunk("business", businessPort)]);
        await using var business = await Sipp.StartAsync(directory, BusinessPeer("business", "peers/uas_answer_expect_hold.xml", businessPort));

        // Notice 1 s, then the business answers at once: the hold at 2.5 s finds the call bridged.
        var pcap = Media.MediaCalls.WritePcap(directory, TestAudio.Sweep(TimeSpan.FromSeconds(4)), G711Law.MuLaw);
        var uac = await Sipp.RunAsync(directory, SippAgainstEngine.At(engine, new SippOptions
        {
            Name = "uac",
            Scenario = "uac_pcmu_play_audio_hold.xml",
            Service = EngineConfigs.TrackedNumber,
            Calls = 1,
            Keys = new Dictionary<string, string> { ["audio_pcap"] = pcap, ["hold_ms"] = "2500", ["rest_ms"] = "1500" },
            Timeout = TimeSpan.FromSeconds(15),
        }));
        SippAgainstEngine.AssertAllCallsSucceeded(uac, 1, engine);

        // The business's scenario checks a=sendonly in the engine's re-INVITE and answers recvonly.
        var businessResult = await business.WaitForExitAsync(TimeSpan.FromSeconds(10));
        Assert.True(businessResult.AllSucceeded, businessResult.Describe(engine));
        Assert.Equal(2, businessResult.Messages.Count(m => m.Received && m.Method == "INVITE"));
        var row = await WaitForCallAsync(engine, uac.Messages[0].CallId!);
        Assert.Equal("answered", row.Disposition);
    }

    [Fact]
    public async Task Plan_without_destinations_answers_records_and_logs_the_callers_keys_as_events()
    {
        var directory = TestDirectory.Create();
        const string digits = "19#4";
        var scenario = SippAudio.WriteDtmfScenario(directory, digits, TimeSpan.FromMilliseconds(400));
        await using var engine = await StartEngineAsync(directory, new Dictionary<string, object> { ["Announcement"] = "none" }, []);

        var uac = await Sipp.RunAsync(directory, SippAgainstEngine.At(engine, new SippOptions
        {
            Name = "uac",
            Scenario = scenario,
            Service = EngineConfigs.TrackedNumber,
            Calls = 1,
            Timeout = TimeSpan.FromSeconds(15),
        }));
        SippAgainstEngine.AssertAllCallsSucceeded(uac, 1, engine);

        // The engine's answer is the call's answer; hung up by the caller.
        var row = await WaitForCallAsync(engine, uac.Messages[0].CallId!);
        Assert.Equal("answered", row.Disposition);
        Assert.Equal("caller", row.HangupBy);
        Assert.NotNull(row.AnsweredAt);
        Assert.Empty(await CallRecords.LegsAsync(_database, row.Id));
        var events = await CallRecords.EventsAsync(_database, row.Id);
        Assert.Equal(["call.started", "call.answered", "call.dtmf", "call.dtmf", "call.dtmf", "call.dtmf", "call.ended", "recording.ready"], events);
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT string_agg(payload->>'digit', '' ORDER BY id) FROM events WHERE call_id = $1 AND kind = 'call.dtmf'", connection);
        command.Parameters.Add(new() { Value = row.Id });
        Assert.Equal(digits, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Caller_hanging_up_while_the_destination_rings_cancels_it_and_the_call_is_abandoned()
    {
        var directory = TestDirectory.Create();
        var businessPort = FreePorts.Next();
        var plan = Plan(directory, Forward(Destination, "business", ringSeconds: 30));
        await using var engine = await StartEngineAsync(directory, plan, [Trunk("business", businessPort)]);
        await using var business = await Sipp.StartAsync(directory, BusinessPeer("business", "peers/uas_ringing_until_cancel.xml", businessPort));

        var uac = await CallAsync(directory, engine, TestAudio.Sweep(TimeSpan.FromSeconds(1)), TimeSpan.FromSeconds(2.5));
        var callId = uac.Messages[0].CallId!;
        var businessResult = await business.WaitForExitAsync(TimeSpan.FromSeconds(10));
        Assert.True(businessResult.AllSucceeded, businessResult.Describe(engine));
        Assert.Contains(businessResult.Messages, m => m.Received && m.Method == "CANCEL");

        var row = await WaitForCallAsync(engine, callId);
        Assert.Equal("abandoned", row.Disposition);
        Assert.Equal("caller", row.HangupBy);
        Assert.Null(row.AnsweredAt);
        Assert.Equal([(Destination, 487)], await CallRecords.LegsAsync(_database, row.Id));
    }

    [Fact]
    public async Task Outbound_trunk_challenging_with_407_gets_credentials_and_the_call_is_bridged()
    {
        var directory = TestDirectory.Create();
        var businessPort = FreePorts.Next();
        var plan = Plan(directory, Forward(Destination, "business"));
        await using var engine = await StartEngineAsync(directory, plan, [Trunk("business", businessPort, "u", "secret")]);
        await using var business = await Sipp.StartAsync(directory, BusinessPeer("proxy", "peers/uas_407_proxy_auth.xml", businessPort));

        var uac = await CallAsync(directory, engine, TestAudio.Sweep(TimeSpan.FromSeconds(2)), TimeSpan.FromSeconds(2.5));
        var callId = uac.Messages[0].CallId!;
        var businessResult = await business.WaitForExitAsync(TimeSpan.FromSeconds(10));
        Assert.True(businessResult.AllSucceeded, businessResult.Describe(engine));

        var row = await WaitForCallAsync(engine, callId);
        Assert.Equal("answered", row.Disposition);
        Assert.Contains("call.bridged", await CallRecords.EventsAsync(_database, row.Id));
        Assert.Equal([(Destination, 200)], await CallRecords.LegsAsync(_database, row.Id));
    }

    [Fact]
    public async Task Number_provisioned_only_in_the_database_routes_by_its_stored_plan()
    {
        var directory = TestDirectory.Create();
        var businessPort = FreePorts.Next();

        // The number and its plan exist only in the provisioning file (stored as jsonb), not in the configuration.
        var provisioned = "+15551239999";
        var file = directory.File("provision.json");
        await File.WriteAllTextAsync(file, $$"""
            {
              "Organisations": [
                {
                  "Name": "Bravo Dental", "TimeZone": "America/Chicago",
                  "Plans": [ { "Name": "forward", "Announcement": "none", "Forward": [ { "To": "{{Destination}}", "Trunk": "business", "RingSeconds": 10 } ] } ],
                  "Campaigns": [ { "Name": "Billboard", "Plan": "forward" } ],
                  "Numbers": [ { "Number": "{{provisioned}}", "Campaign": "Billboard" } ]
                }
              ]
            }
            """);
        await using var engine = await StartEngineAsync(directory, Plan(directory), [Trunk("business", businessPort)], $"--Provisioning:File={file}");
        await using var business = await Sipp.StartAsync(directory, BusinessPeer("business", "peers/uas_ring_answer_echo.xml", businessPort));

        var uac = await CallAsync(directory, engine, TestAudio.Sweep(TimeSpan.FromSeconds(2)), TimeSpan.FromSeconds(2.5), provisioned);
        var businessResult = await business.WaitForExitAsync(TimeSpan.FromSeconds(10));
        Assert.True(businessResult.AllSucceeded, businessResult.Describe(engine));

        var row = await WaitForCallAsync(engine, uac.Messages[0].CallId!);
        Assert.Equal("answered", row.Disposition);
        Assert.Equal([(Destination, 200)], await CallRecords.LegsAsync(_database, row.Id));
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT o.name, p.name FROM calls c JOIN organisations o ON o.id = c.organisation_id JOIN campaigns p ON p.id = c.campaign_id WHERE c.id = $1", connection);
        command.Parameters.Add(new() { Value = row.Id });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(("Bravo Dental", "Billboard"), (reader.GetString(0), reader.GetString(1)));
    }

    private string _database = string.Empty;

    private async Task<EngineProcess> StartEngineAsync(TestDirectory directory, Dictionary<string, object> plan, IReadOnlyList<object> outboundTrunks, params string[] arguments)
    {
        _database = await server.CreateDatabaseAsync();
        var sipPort = FreePorts.Next();
        var config = new
        {
            Sip = new { Listen = new[] { $"udp:127.0.0.1:{sipPort}", $"tcp:127.0.0.1:{sipPort}" } },
            Media = new { Address = "127.0.0.1" },

            // These tests read the Ogg Opus file on disk (opusdec); encryption at rest has tests of its own.
            Security = new { EncryptRecordings = false },
            Trunks = new object[] { new { Name = "carrier", Allow = new[] { "127.0.0.1/32" } } }.Concat(outboundTrunks).ToArray(),
            Organisations = new[] { new { Name = "Acme Plumbing", TimeZone = "America/New_York" } },
            Numbers = new[] { new { Number = EngineConfigs.TrackedNumber, Organisation = "Acme Plumbing", Campaign = "Google Ads", Plan = plan } },
        };
        return await EngineProcess.StartAsync(directory, sipPort, config, [$"--Database:ConnectionString={_database}", .. arguments]);
    }

    /// <summary>The business phone on <paramref name="port"/> (its trunk is configured with that port before it starts).</summary>
    private static SippOptions BusinessPeer(string name, string scenario, int port) => new()
    {
        Name = name,
        Scenario = scenario,
        LocalPort = port,
        Calls = 1,
        Timeout = TimeSpan.FromSeconds(25),
        RecvTimeout = TimeSpan.FromSeconds(20),

        // Sends back the RTP it gets.
        ExtraArguments = ["-rtp_echo"],
    };

    private static object Trunk(string name, int port, string? username = null, string? password = null)
    {
        // No OPTIONS pings: sipp would take one for the scenario's call.
        var outbound = new Dictionary<string, object> { ["Uri"] = $"sip:127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", ["OptionsIntervalSeconds"] = 0 };
        if (username is not null)
        {
            outbound["Username"] = username;
            outbound["Password"] = password!;
        }

        return new { Name = name, Outbound = outbound };
    }

    private static object Forward(string to, string trunk, int ringSeconds = 10) => new { To = to, Trunk = trunk, RingSeconds = ringSeconds };

    /// <summary>A plan whose recording notice is a 1 s tone (the shipped one is 4 s), forwarding to <paramref name="targets"/>.</summary>
    private static Dictionary<string, object> Plan(TestDirectory directory, params object[] targets) => new()
    {
        ["Announcement"] = ToneWav(directory, "notice", 440, 1.0),
        ["Forward"] = targets,
    };

    private static string ToneWav(TestDirectory directory, string name, double hz, double seconds)
    {
        var path = directory.File(name + ".wav");
        Wav.Write(path, TestAudio.Tone(hz, TimeSpan.FromSeconds(seconds)));
        return path;
    }

    /// <summary>The caller: sipp answers nothing, plays <paramref name="audio"/> after the ACK and hangs up after <paramref name="hangupAfter"/>.</summary>
    private static async Task<SippResult> CallAsync(TestDirectory directory, EngineProcess engine, PcmAudio audio, TimeSpan hangupAfter, string number = EngineConfigs.TrackedNumber)
    {
        var pcap = Media.MediaCalls.WritePcap(directory, audio, G711Law.MuLaw);
        var uac = await Sipp.RunAsync(directory, SippAgainstEngine.At(engine, new SippOptions
        {
            Name = "uac",
            Scenario = SippAudio.PlayAudioScenario(G711Law.MuLaw),
            Service = number,
            Calls = 1,
            Keys = SippAudio.PlayAudioKeys(pcap, hangupAfter),
            Timeout = hangupAfter + TimeSpan.FromSeconds(10),
        }));
        SippAgainstEngine.AssertAllCallsSucceeded(uac, 1, engine);
        return uac;
    }

    private sealed record CallRow(
        Guid Id, string? Disposition, string? HangupBy, DateTime? AnsweredAt, double RingSeconds, double TalkSeconds,
        Guid? OrganisationId, Guid? CampaignId, Guid? NumberId, string? Country, string? RecordingPath, double? Mos);

    /// <summary>The call's row once it has ended and its recording is recorded (the writer is asynchronous).</summary>
    private async Task<CallRow> WaitForCallAsync(EngineProcess engine, string sipCallId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        while (true)
        {
            await using var command = new NpgsqlCommand(
                """
                SELECT c.id, c.disposition, c.hangup_by, c.answered_at, coalesce(c.ring_seconds, 0)::float8, coalesce(c.talk_seconds, 0)::float8,
                       c.organisation_id, c.campaign_id, c.tracking_number_id, c.caller_country, r.path, c.mos
                FROM calls c LEFT JOIN recordings r ON r.call_id = c.id
                WHERE c.sip_call_id = $1 AND c.disposition IS NOT NULL AND r.id IS NOT NULL
                """,
                connection);
            command.Parameters.Add(new() { Value = sipCallId });
            await using (var reader = await command.ExecuteReaderAsync())
            {
                if (await reader.ReadAsync())
                {
                    return new CallRow(
                        reader.GetGuid(0),
                        reader.IsDBNull(1) ? null : reader.GetString(1),
                        reader.IsDBNull(2) ? null : reader.GetString(2),
                        reader.IsDBNull(3) ? null : reader.GetDateTime(3),
                        reader.GetDouble(4),
                        reader.GetDouble(5),
                        reader.IsDBNull(6) ? null : reader.GetGuid(6),
                        reader.IsDBNull(7) ? null : reader.GetGuid(7),
                        reader.IsDBNull(8) ? null : reader.GetGuid(8),
                        reader.IsDBNull(9) ? null : reader.GetString(9),
                        reader.IsDBNull(10) ? null : reader.GetString(10),
                        reader.IsDBNull(11) ? null : reader.GetDouble(11));
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"No ended call {sipCallId} with a recording in the database.\n{engine.LogTail(60)}");
            await Task.Delay(100);
        }
    }
}
