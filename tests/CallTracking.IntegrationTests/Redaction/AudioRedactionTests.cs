using CallTracking.IntegrationTests.Audio;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using CallTracking.Engine.Privacy;
using CallTracking.Engine.Storage;
using CallTracking.Engine.Transcription;
using CallTracking.IntegrationTests.Infrastructure;
using CallTracking.IntegrationTests.Privacy;
using CallTracking.Media.Transcription;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace CallTracking.IntegrationTests.Redaction;

/// <summary>
/// <c>Privacy:RedactAudio</c> against real PostgreSQL and the engine as a process: a stored, encrypted recording
/// (a 440 Hz tone on the caller's side) and a transcript in which the caller reads out a card number. The redaction
/// step writes an encrypted copy with a 1 kHz tone over the number's span and the original elsewhere; the API
/// and signed links serve the copy, the original only to an admin who asks (audit-logged); deleting the recording removes both
/// files and both keys.
/// </summary>
public sealed class AudioRedactionTests(PostgresServer server, ITestOutputHelper output) : IClassFixture<PostgresServer>
{
    private const string Said = "hello there my card number is 4111 1111 1111 1111 thank you very much for calling";

    [Fact]
    public async Task Redacted_copy_tones_out_the_card_number_is_served_instead_of_the_original_and_is_deleted_with_it()
    {
        var directory = TestDirectory.Create();
        await using var rig = await PrivacyRig.CreateAsync(server, directory);
        var organisation = await rig.OrganisationAsync("Redact Co");
        var call = await rig.CallAsync(organisation, "+15550001111", DateTimeOffset.UtcNow.AddMinutes(-5));
        var (path, originalKey, originalOgg) = await rig.RecordingAsync(call);
        var recordingId = await rig.ScalarAsync<Guid>("select id from recordings where call_id = $1", call);
        TranscriptSegment[] segments = [new(Speaker.Caller, 0, 2000, Said, 0.9f)];
        var span = Assert.Single(TranscriptPrivacy.Apply(segments, []).AudioSpans);
        output.WriteLine($"span {span.StartMs}-{span.EndMs} ms ({span.Label})");

        using var meters = new TestMeterFactory();
        var redaction = new RecordingRedaction(rig.DataSource, new CallRecordStore(rig.DataSource), rig.Recordings, rig.Keys, rig.DataPath, TimeProvider.System, meters, NullLogger<RecordingRedaction>.Instance);
        var job = new TranscriptionJob(Guid.NewGuid(), call, recordingId, organisation, path, 1);
        Assert.True(await redaction.RedactAsync(job, segments, CancellationToken.None));
        Assert.False(await redaction.RedactAsync(job, segments, CancellationToken.None), "a second copy was made");

        // Next to the original, named on the row, encrypted under a key of its own, announced by an event.
        var copyPath = Path.Combine(Path.GetDirectoryName(path)!, call.ToString("D") + ".redacted.opus");
        Assert.True(File.Exists(copyPath), "no redacted copy on disk");
        Assert.Equal(copyPath, await rig.ScalarAsync<string>("select redacted_path from recordings where id = $1", recordingId));
        var copyKey = PrivacyRig.KeyIdOf(await File.ReadAllBytesAsync(copyPath));
        Assert.NotEqual(originalKey, copyKey);
        Assert.Equal(1, await rig.CountAsync("select count(*) from data_keys where id = $1 and purpose = 'recording' and call_id = $2", copyKey, call));
        Assert.Equal(1, await rig.CountAsync("select count(*) from events where call_id = $1 and kind = 'recording.redacted' and payload->'spans'->0->>'speaker' = 'caller'", call));

        // The tone inside the span (widened by the 200 ms margin; 20 ms in from each edge), the original elsewhere.
        var copyOgg = (await rig.Recordings.ReadAllAsync(copyPath, CancellationToken.None))!;
        var copy = OggOpusFileDecoder.Decode(copyOgg, "copy", 8000);
        var left = copy.Channels[0];
        var inside = left.AsSpan(Sample(span.StartMs - 180), Sample(span.EndMs + 180) - Sample(span.StartMs - 180));
        output.WriteLine($"inside: 1 kHz {TonePower.At(inside, 1000) / TonePower.Energy(inside):F3}, 440 Hz {TonePower.At(inside, 440) / TonePower.Energy(inside):F3}");
        Assert.True(TonePower.At(inside, 1000) > 0.9 * TonePower.Energy(inside), "no 1 kHz tone over the card number");
        Assert.True(TonePower.At(inside, 440) < 0.01 * TonePower.Energy(inside), "the caller's audio is audible over the card number");
        foreach (var (from, to) in new[] { (100L, span.StartMs - 240), (span.EndMs + 240, 1950L) })
        {
            var outside = left.AsSpan(Sample(from), Sample(to) - Sample(from));
            output.WriteLine($"{from}-{to} ms: 440 Hz {TonePower.At(outside, 440) / TonePower.Energy(outside):F3}");
            Assert.True(TonePower.At(outside, 440) > 0.9 * TonePower.Energy(outside), $"{from}-{to} ms is not the original audio");
            Assert.True(TonePower.At(outside, 1000) < 0.01 * TonePower.Energy(outside), $"{from}-{to} ms has the tone");
        }

        Assert.True(TonePower.Energy(copy.Channels[1]) < 1e-6, "the tone leaked onto the business's channel");

        // The engine serves the copy; the original only to an admin who asks for it, on the audit trail.
        var sipPort = FreePorts.Next();
        await using var engine = await EngineProcess.StartAsync(directory, sipPort, EngineConfigs.Standard(sipPort), $"--Database:ConnectionString={rig.Database}");
        var manager = await KeyAsync(rig, "manager");
        var admin = await KeyAsync(rig, "org_admin");
        using var http = new HttpClient { BaseAddress = await engine.WaitForHttpBaseAddressAsync() };
        var recording = new Uri($"/v1/calls/{call}/recording", UriKind.Relative);
        var original = new Uri($"/v1/calls/{call}/recording?original=true", UriKind.Relative);

        using (var served = await GetAsync(http, recording, manager))
        {
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            Assert.Equal(copyOgg, await served.Content.ReadAsByteArrayAsync());
        }

        using (var refused = await GetAsync(http, original, manager))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        Assert.Equal(1, await rig.CountAsync("select count(*) from audit_log where action = 'access.denied' and subject = $1 and details like '%recording.original_download%'", "call:" + call.ToString("D")));
        Assert.Equal(0, await rig.CountAsync("select count(*) from audit_log where action = 'recording.original_download'"));

        using (var served = await GetAsync(http, original, admin))
        {
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            Assert.Equal(originalOgg, await served.Content.ReadAsByteArrayAsync());
        }

        Assert.Equal(1, await rig.CountAsync("select count(*) from audit_log where action = 'recording.original_download' and subject = $1 and actor like 'key:%'", "call:" + call.ToString("D")));

        // A signed link (made as the engine makes them, with its secret) serves the copy too.
        var links = new CallTracking.Engine.Api.RecordingLinks(rig.DataSource, () => http.BaseAddress!, TimeProvider.System, meters);
        var (link, _) = await links.CreateAsync(call, organisation, TimeSpan.FromMinutes(5), CancellationToken.None);
        using (var linked = await http.GetAsync(link))
        {
            Assert.Equal(HttpStatusCode.OK, linked.StatusCode);
            Assert.Equal(copyOgg, await linked.Content.ReadAsByteArrayAsync());
        }

        // Deleting the recording removes both files and shreds both keys.
        using (var delete = new HttpRequestMessage(HttpMethod.Delete, recording))
        {
            delete.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin);
            using var deleted = await http.SendAsync(delete);
            output.WriteLine(await deleted.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        Assert.False(File.Exists(path), "the original is still on disk");
        Assert.False(File.Exists(copyPath), "the redacted copy is still on disk");
        Assert.Equal(0, await rig.CountAsync("select count(*) from data_keys where id = $1 or id = $2", originalKey, copyKey));
        using (var gone = await GetAsync(http, recording, admin))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }
    }

    [Fact]
    public async Task A_recording_that_cannot_be_redacted_leaves_no_copy_and_no_key_and_is_reported_not_thrown()
    {
        var directory = TestDirectory.Create();
        await using var rig = await PrivacyRig.CreateAsync(server, directory);
        var organisation = await rig.OrganisationAsync("Broken Co");
        var call = await rig.CallAsync(organisation, "+15550002222", DateTimeOffset.UtcNow.AddMinutes(-5));
        var (path, _, _) = await rig.RecordingAsync(call);
        var recordingId = await rig.ScalarAsync<Guid>("select id from recordings where call_id = $1", call);

        // Not Ogg (and not encrypted): read as it is, then refused by the decoder.
        await File.WriteAllBytesAsync(path, new byte[4096]);
        using var meters = new TestMeterFactory();
        var redaction = new RecordingRedaction(rig.DataSource, new CallRecordStore(rig.DataSource), rig.Recordings, rig.Keys, rig.DataPath, TimeProvider.System, meters, NullLogger<RecordingRedaction>.Instance);
        var job = new TranscriptionJob(Guid.NewGuid(), call, recordingId, organisation, path, 1);

        Assert.False(await redaction.TryRedactAsync(job, [new(Speaker.Caller, 0, 2000, Said, 0.9f)], CancellationToken.None));
        Assert.Equal(0, await rig.CountAsync("select count(*) from data_keys where call_id = $1", call));
        Assert.Equal(0, await rig.CountAsync("select count(*) from recordings where id = $1 and redacted_path is not null", recordingId));
        Assert.Equal(0, await rig.CountAsync("select count(*) from events where call_id = $1 and kind = 'recording.redacted'", call));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, call.ToString("D") + ".redacted.*"));
    }

    private static int Sample(long ms) => (int)(ms * 8);

    private static async Task<string> KeyAsync(PrivacyRig rig, string role)
    {
        var created = await rig.CliAsync("keys", "create", "--org", "Redact Co", "--name", role, "--role", role);
        Assert.True(created.Code == 0, created.Err);
        return created.Out.Trim();
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient http, Uri uri, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await http.SendAsync(request);
    }



    private sealed class TestMeterFactory : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose() => _meters.ForEach(m => m.Dispose());
    }
}
