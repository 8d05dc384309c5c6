using System.Globalization;
using CallTracking.IntegrationTests.Audio;
using CallTracking.IntegrationTests.Infrastructure;
using CallTracking.IntegrationTests.Sip;
using Npgsql;
using Xunit.Abstractions;

namespace CallTracking.IntegrationTests.Calls;

/// <summary>
/// Early media end to end: sipp as the caller, the engine, and a sipp business phone that answers 183 Session
/// Progress with SDP and plays a tone before its 200. The caller must hear the business's own audio (relayed),
/// not the engine's generated ringback.
/// </summary>
[Collection(SippCollection.Name)]
public sealed class EarlyMediaTests(PostgresServer server, ITestOutputHelper output) : IClassFixture<PostgresServer>
{
    private const string Destination = "+15559870001";

    // The business's early audio, the recording notice, and the engine's ringback (440 + 480 Hz): all apart.
    private const double EarlyHz = 1400;
    private const double NoticeHz = 700;
    private const double RingbackLowHz = 440;
    private const double RingbackHighHz = 480;

    private string _database = string.Empty;

    [Fact]
    public async Task Early_media_from_the_business_reaches_the_caller_before_the_answer()
    {
        var directory = TestDirectory.Create();
        var businessPort = FreePorts.Next();
        var noticePath = directory.File("notice.wav");
        Wav.Write(noticePath, TestAudio.Tone(NoticeHz, TimeSpan.FromSeconds(1)));
        var plan = new Dictionary<string, object>
        {
            ["Announcement"] = noticePath,
            ["Forward"] = new[] { new { To = Destination, Trunk = "business", RingSeconds = 10 } },
        };
        await using var engine = await StartEngineAsync(directory, plan, businessPort);

        // The business: 183 with SDP at once, 2 s of a 1400 Hz tone as early media, then 200 OK 2 s after the 183.
        var earlyPcap = directory.File("early.pcap");
        RtpPcapWriter.Write(earlyPcap, TestAudio.Tone(EarlyHz, TimeSpan.FromSeconds(2)), G711Law.MuLaw);
        await using var business = await Sipp.StartAsync(directory, new SippOptions
        {
            Name = "business",
            Scenario = "peers/uas_183_early_media_answer.xml",
            LocalPort = businessPort,
            Calls = 1,
            Keys = new Dictionary<string, string> { ["early_pcap"] = Path.GetFullPath(earlyPcap) },
            Timeout = TimeSpan.FromSeconds(25),
            RecvTimeout = TimeSpan.FromSeconds(20),
        });

        // The caller: notice 0-1 s, early media about 1-3 s, answered about 3 s, hangs up at 4.5 s.
        var callerPcap = Media.MediaCalls.WritePcap(directory, TestAudio.Sweep(TimeSpan.FromSeconds(4)), G711Law.MuLaw);
        var uac = await Sipp.RunAsync(directory, SippAgainstEngine.At(engine, new SippOptions
        {
            Name = "uac",
            Scenario = SippAudio.PlayAudioScenario(G711Law.MuLaw),
            Service = EngineConfigs.TrackedNumber,
            Calls = 1,
            Keys = SippAudio.PlayAudioKeys(callerPcap, TimeSpan.FromSeconds(4.5)),
            Timeout = TimeSpan.FromSeconds(15),
        }));
        SippAgainstEngine.AssertAllCallsSucceeded(uac, 1, engine);
        var callId = uac.Messages[0].CallId!;
        var businessResult = await business.WaitForExitAsync(TimeSpan.FromSeconds(10));
        Assert.True(businessResult.AllSucceeded, businessResult.Describe(engine));

        var row = await WaitForCallAsync(engine, callId);
        Assert.Equal("answered", row.Disposition);
        Assert.Equal([(Destination, 200)], await CallRecords.LegsAsync(_database, row.Id));
        var events = await CallRecords.EventsAsync(_database, row.Id);
        Assert.Contains("call.ringing", events);
        Assert.Contains("call.bridged", events);

        // The 200 came about 2 s after the 183: the window 1.5-2.7 s of the call is early media, before the answer.
        Assert.InRange(row.RingSeconds, 2.7, 5.0);

        // Right channel (what the engine sent the caller): the business's tone, not ringback, in that window.
        Assert.NotNull(row.RecordingPath);
        var recording = await OpusFiles.DecodeStereoAsync(row.RecordingPath!);
        var rate = recording.Right.SampleRate;
        var early = recording.Right.Slice(rate * 3 / 2, rate * 6 / 5).Samples;
        var total = TonePower.Energy(early);
        var tone = TonePower.At(early, EarlyHz);
        var ringback = TonePower.At(early, RingbackLowHz) + TonePower.At(early, RingbackHighHz);
        output.WriteLine($"early window: {Levels.Dbfs(early):0.0} dBFS, {EarlyHz} Hz share {tone / total:0.00}, ringback share {ringback / total:0.000}");
        Assert.True(Levels.Dbfs(early) > -30, $"early window {Levels.Dbfs(early):0.0} dBFS: the caller heard nothing before the answer");
        Assert.True(tone > 0.5 * total, $"the {EarlyHz} Hz early tone holds {tone / total:0.00} of the energy before the answer");
        Assert.True(ringback < 0.05 * total, $"ringback (440/480 Hz) holds {ringback / total:0.000} of the energy before the answer");
    }



    private async Task<EngineProcess> StartEngineAsync(TestDirectory directory, Dictionary<string, object> plan, int businessPort)
    {
        _database = await server.CreateDatabaseAsync();
        var sipPort = FreePorts.Next();

        // No OPTIONS pings to the business: sipp would take one for the scenario's call.
        var outbound = new Dictionary<string, object> { ["Uri"] = $"sip:127.0.0.1:{businessPort.ToString(CultureInfo.InvariantCulture)}", ["OptionsIntervalSeconds"] = 0 };
        var config = new
        {
            Sip = new { Listen = new[] { $"udp:127.0.0.1:{sipPort}", $"tcp:127.0.0.1:{sipPort}" } },
            Media = new { Address = "127.0.0.1" },

            // These tests read the Ogg Opus file on disk (opusdec); encryption at rest has tests of its own.
            Security = new { EncryptRecordings = false },
            Trunks = new object[] { new { Name = "carrier", Allow = new[] { "127.0.0.1/32" } }, new { Name = "business", Outbound = outbound } },
            Organisations = new[] { new { Name = "Acme Plumbing", TimeZone = "America/New_York" } },
            Numbers = new[] { new { Number = EngineConfigs.TrackedNumber, Organisation = "Acme Plumbing", Campaign = "Google Ads", Plan = plan } },
        };
        return await EngineProcess.StartAsync(directory, sipPort, config, [$"--Database:ConnectionString={_database}"]);
    }

    private sealed record CallRow(Guid Id, string? Disposition, double RingSeconds, string? RecordingPath);

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
                SELECT c.id, c.disposition, coalesce(c.ring_seconds, 0)::float8, r.path
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
                        reader.GetDouble(2),
                        reader.IsDBNull(3) ? null : reader.GetString(3));
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"No ended call {sipCallId} with a recording in the database.\n{engine.LogTail(60)}");
            await Task.Delay(100);
        }
    }
}
