using CallTracking.Engine.Api;
using CallTracking.Engine.Calls.Control;
using CallTracking.Engine.Events;
using CallTracking.Engine.Privacy;
using CallTracking.Grpc.Server;
using CallTracking.Grpc.V1;
using Google.Protobuf.WellKnownTypes;

namespace CallTracking.Engine.Grpc;

/// <summary>
/// <c>calltracking.v1.Calls</c>: call records, recording links and transcripts, over the same queries as the
/// REST API (<see cref="CallQueries"/>, <see cref="RecordingStore"/>). A call of an organisation the key may not
/// see is NOT_FOUND, exactly as one that does not exist.
/// </summary>
public sealed partial class CallsService : IGrpcService
{
    public const string ServiceName = "calltracking.v1.Calls";
    public const int DefaultPageSize = 50;
    public const int MaximumPageSize = 500;
    public const int DefaultLinkSeconds = 900;
    public const int MinimumLinkSeconds = 60;
    public const int MaximumLinkSeconds = 86_400;

    private readonly GrpcAuthentication _authentication;
    private readonly CallQueries _calls;
    private readonly EventStore _events;
    private readonly RecordingStore _recordings;
    private readonly RecordingLinks _links;
    private readonly ApiDatabase _db;
    private readonly Privacy.TranscriptCipher? _cipher;

    private readonly IAuditSink? _audit;
    private readonly IRecordingPauseControl? _pauses;

    /// <param name="cipher">Opens transcripts sealed at rest; without it sealed text reads as empty.</param>
    public CallsService(GrpcAuthentication authentication, CallQueries calls, EventStore events, RecordingStore recordings, RecordingLinks links, ApiDatabase db, IAuditSink? audit = null, IRecordingPauseControl? pauses = null, Privacy.TranscriptCipher? cipher = null, Privacy.DataDeletion? deletion = null)
    {
        _audit = audit;
        _pauses = pauses;
        ArgumentNullException.ThrowIfNull(authentication);
        ArgumentNullException.ThrowIfNull(calls);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(recordings);
        ArgumentNullException.ThrowIfNull(links);
        ArgumentNullException.ThrowIfNull(db);
        _authentication = authentication;
        _calls = calls;
        _events = events;
        _recordings = recordings;
        _links = links;
        _db = db;
        _cipher = cipher;
        _deletion = deletion;
    }

    public void Register(GrpcMethodRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.AddUnary<GetCallRequest, Call>(ServiceName, "GetCall", GetCallAsync);
        registry.AddUnary<ListCallsRequest, ListCallsResponse>(ServiceName, "ListCalls", ListCallsAsync);
        registry.AddUnary<GetRecordingLinkRequest, RecordingLink>(ServiceName, "GetRecordingLink", GetRecordingLinkAsync);
        registry.AddUnary<GetTranscriptRequest, Transcript>(ServiceName, "GetTranscript", GetTranscriptAsync);
        RegisterDeletion(registry);
        registry.AddUnary<PauseRecordingRequest, PauseRecordingResponse>(ServiceName, "PauseRecording", (request, context) => SetPausedAsync(request, context, paused: true));
        registry.AddUnary<PauseRecordingRequest, PauseRecordingResponse>(ServiceName, "ResumeRecording", (request, context) => SetPausedAsync(request, context, paused: false));
    }

    public async Task<Call> GetCallAsync(GetCallRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var principal = await _authentication.AuthenticateAsync(context).ConfigureAwait(false);
        var id = GrpcArguments.Uuid(request.CallId, "call_id");
        var ct = context.CancellationToken;
        var call = await FindAsync(id, principal, ct).ConfigureAwait(false);
        var details = await DetailsAsync([id], ct).ConfigureAwait(false);
        var message = CallMessages.ToMessage(call, details.GetValueOrDefault(id));
        message.Legs.AddRange((await _calls.LegsAsync(id, ct).ConfigureAwait(false)).Select(CallMessages.ToMessage));
        message.Events.AddRange((await _events.ReadCallAsync(id, ct).ConfigureAwait(false)).Select(e => e.Message));
        return message;
    }

    public async Task<ListCallsResponse> ListCallsAsync(ListCallsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var principal = await _authentication.AuthenticateAsync(context).ConfigureAwait(false);
        IReadOnlyList<Guid> scope = request.OrganisationId.Length == 0
            ? principal.VisibleOrganisations
            : [GrpcArguments.VisibleOrganisation(principal, request.OrganisationId, "organisation_id")];
        var pageSize = request.PageSize == 0 ? DefaultPageSize : request.PageSize;
        if (pageSize is < 1 or > MaximumPageSize)
        {
            throw new GrpcException(StatusCode.InvalidArgument, $"page_size: must be from 1 to {MaximumPageSize} (0 means {DefaultPageSize})");
        }

        if (request.Disposition.Length > 0 && !CallQueries.Dispositions.Contains(request.Disposition, StringComparer.Ordinal))
        {
            throw new GrpcException(StatusCode.InvalidArgument, $"disposition: must be one of {string.Join(", ", CallQueries.Dispositions)}");
        }

        (DateTimeOffset, Guid)? after = null;
        if (request.PageToken.Length > 0)
        {
            after = CallPageToken.TryDecode(request.PageToken, out var startedAt, out var lastId)
                ? (startedAt, lastId.Value)
                : throw new GrpcException(StatusCode.InvalidArgument, "page_token: not a token this service issued");
        }

        var query = new CallListQuery(
            From: request.StartedFrom?.ToDateTimeOffset(),
            To: request.StartedBefore?.ToDateTimeOffset(),
            TrackingNumber: request.TrackingNumber.Length == 0 ? null : GrpcArguments.TrackingNumber(request.TrackingNumber, "tracking_number"),
            Campaign: GrpcArguments.OptionalUuid(request.CampaignId, "campaign_id"),
            Disposition: request.Disposition.Length == 0 ? null : request.Disposition,
            Text: request.Text.Length == 0 ? null : request.Text,
            After: after);
        var (calls, next) = await _calls.ListAsync(query, scope, pageSize, context.CancellationToken, principal.OwnCallsDestination).ConfigureAwait(false);
        var response = new ListCallsResponse { NextPageToken = next ?? string.Empty };
        var details = await DetailsAsync([.. calls.Select(c => c.Id)], context.CancellationToken).ConfigureAwait(false);
        response.Calls.AddRange(calls.Select(c => CallMessages.ToMessage(c, details.GetValueOrDefault(c.Id))));
        return response;
    }

    public async Task<RecordingLink> GetRecordingLinkAsync(GetRecordingLinkRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var principal = await _authentication.AuthenticateAsync(context).ConfigureAwait(false);
        var id = GrpcArguments.Uuid(request.CallId, "call_id");
        // 0: the operator's Security:LinkLifetime, taken as configured; an explicit request is held to the bounds.
        var seconds = request.ExpiresInSeconds == 0 ? (int)_links.DefaultLifetime.TotalSeconds : request.ExpiresInSeconds;
        if (request.ExpiresInSeconds != 0 && seconds is < MinimumLinkSeconds or > MaximumLinkSeconds)
        {
            throw new GrpcException(StatusCode.InvalidArgument, $"expires_in_seconds: must be from {MinimumLinkSeconds} to {MaximumLinkSeconds} (0 means {DefaultLinkSeconds})");
        }

        var ct = context.CancellationToken;
        var call = await FindAsync(id, principal, ct).ConfigureAwait(false);
        var recording = await _recordings.FindAsync(id, ct).ConfigureAwait(false)
            ?? throw new GrpcException(StatusCode.NotFound, $"call {id} has no recording");
        var (url, expiresAt) = await _links.CreateAsync(id, call.OrganisationId, TimeSpan.FromSeconds(seconds), ct).ConfigureAwait(false);
        await AuditAsync(AuditActions.RecordingLinkIssued, call.OrganisationId, principal, id, new System.Text.Json.Nodes.JsonObject { ["expiresAt"] = expiresAt.ToUnixTimeSeconds() }, ct).ConfigureAwait(false);
        return new RecordingLink
        {
            Url = url.ToString(),
            ExpiresAt = Timestamp.FromDateTimeOffset(expiresAt),
            ContentType = "audio/ogg; codecs=opus",
            DurationMs = recording.DurationMs ?? 0,
            Bytes = recording.Bytes ?? new FileInfo(recording.Path).Length,
        };
    }

    /// <summary>
    /// The call's newest transcript with its segments in time order: status "done" or "failed"; "pending" while a
    /// transcription job waits or runs; "none" when the call was never queued (no recording, transcription off).
    /// </summary>
    public async Task<Transcript> GetTranscriptAsync(GetTranscriptRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var principal = await _authentication.AuthenticateAsync(context).ConfigureAwait(false);
        var id = GrpcArguments.Uuid(request.CallId, "call_id");
        var ct = context.CancellationToken;
        var call = await FindAsync(id, principal, ct).ConfigureAwait(false);
        await AuditAsync(AuditActions.TranscriptView, call.OrganisationId, principal, id, new System.Text.Json.Nodes.JsonObject { ["via"] = "grpc" }, ct).ConfigureAwait(false);
        var transcript = new Transcript { CallId = id.ToString("D"), Status = "none" };
        var stored = (await _db.ListAsync(
            "select id, status, language, error, data_key_id from transcripts where call_id = $1 order by created_at desc limit 1",
            r => (Id: r.GetGuid(0), Status: r.GetString(1), Language: ApiDatabase.NullableText(r, 2), Error: ApiDatabase.NullableText(r, 3), KeyId: ApiDatabase.NullableGuid(r, 4)),
            ct,
            ApiDatabase.Uuid(id)).ConfigureAwait(false)).FirstOrDefault();
        if (stored.Id == Guid.Empty)
        {
            var queued = await _db.ListAsync(
                "select 1 from transcription_jobs where call_id = $1 and state in ('queued', 'running') limit 1",
                r => r.GetInt32(0),
                ct,
                ApiDatabase.Uuid(id)).ConfigureAwait(false);
            transcript.Status = queued.Count > 0 ? "pending" : "none";
            return transcript;
        }

        transcript.Status = stored.Status == "ready" ? "done" : "failed";
        transcript.Language = stored.Language ?? string.Empty;
        transcript.Error = stored.Error ?? string.Empty;
        var key = _cipher is null ? null : await _cipher.KeyAsync(stored.KeyId, ct).ConfigureAwait(false);
        transcript.Segments.AddRange(await _db.ListAsync(
            "select speaker, start_ms, end_ms, text, text_sealed from transcript_segments where transcript_id = $1 order by start_ms, end_ms, speaker",
            r => new TranscriptSegment { Speaker = r.GetString(0), StartMs = r.GetInt64(1), EndMs = r.GetInt64(2), Text = Privacy.TranscriptCipher.TextOf(key, stored.KeyId, r.GetString(3), r.IsDBNull(4) ? null : (byte[])r.GetValue(4)) },
            ct,
            ApiDatabase.Uuid(stored.Id)).ConfigureAwait(false));
        return transcript;
    }

    /// <summary>
    /// What a <see cref="CallResource"/> does not carry but a <see cref="Call"/> message does, for a page of calls in
    /// one query: the tracking number's and campaign's names, and the usable recording's length.
    /// </summary>
    private async Task<Dictionary<Guid, CallDetails>> DetailsAsync(IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var rows = await _db.ListAsync(
            """
            select c.id, n.name, m.name,
                   (select r.duration_ms from recordings r
                    where r.call_id = c.id and r.path is not null and r.error is null
                    order by r.created_at desc, r.id desc limit 1)
            from calls c
            left join tracking_numbers n on n.id = c.tracking_number_id
            left join campaigns m on m.id = c.campaign_id
            where c.id = any($1)
            """,
            r => (Id: r.GetGuid(0), Details: new CallDetails(ApiDatabase.NullableText(r, 1), ApiDatabase.NullableText(r, 2), r.IsDBNull(3) ? null : r.GetInt64(3))),
            cancellationToken,
            ApiDatabase.P(ids.ToArray(), NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Uuid)).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Id, r => r.Details);
    }

    private async Task<PauseRecordingResponse> SetPausedAsync(PauseRecordingRequest request, ServerCallContext context, bool paused)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var principal = await _authentication.AuthenticateAsync(context).ConfigureAwait(false);
        var id = GrpcArguments.Uuid(request.CallId, "call_id");
        await FindAsync(id, principal, context.CancellationToken).ConfigureAwait(false);
        var result = _pauses is null
            ? RecordingPauseResult.NotLive
            : await _pauses.SetRecordingPausedAsync(id, paused, principal.Actor, context.CancellationToken).ConfigureAwait(false);
        return result == RecordingPauseResult.NotLive
            ? throw new GrpcException(StatusCode.FailedPrecondition, $"call {id} is not live on this engine node")
            : new PauseRecordingResponse { Changed = result == RecordingPauseResult.Changed, Paused = paused };
    }

    private Task AuditAsync(string action, Guid organisationId, ApiPrincipal principal, Guid callId, object? details, CancellationToken cancellationToken) =>
        _audit?.RecordAsync(action, organisationId, principal.Actor, "call:" + callId.ToString("D"), details, cancellationToken) ?? Task.CompletedTask;

    private async Task<CallResource> FindAsync(Guid id, ApiPrincipal principal, CancellationToken cancellationToken) =>
        await _calls.FindAsync(id, principal, cancellationToken).ConfigureAwait(false)
        ?? throw new GrpcException(StatusCode.NotFound, $"call {id} not found");
}
