using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using CallTracking.Engine.Storage;
using CallTracking.Media.Sessions;
using CallTracking.Media.Transcription;

namespace CallTracking.Engine.Transcription;

/// <summary>
/// <c>Transcription:Live</c>: transcribes calls while they go on. Each answered call's caller leg gets a
/// <see cref="LiveAudioTap"/> (the media worker copies 20 ms frames into it and never waits; a full ring drops and
/// counts). Every <see cref="DrainInterval"/> one drain loop empties the taps through a <see cref="LiveSegmenter"/> per
/// speaker (voice activity, cut at a pause or at 10 s, 16 kHz) into a bounded queue of utterances (the oldest dropped
/// and counted when Whisper is behind), which <see cref="TranscriptionSettings.LiveWorkers"/> threads transcribe, each
/// with its own whisper state, writing one <c>transcript.segment</c> event per Whisper segment through the call record
/// writer (so a call's segments and its other events keep their order). Does nothing when live transcription is off or
/// no model is loaded.
/// </summary>
public sealed partial class LiveTranscriptionService : BackgroundService, ILiveTranscription
{
    public const string MeterName = "CallTracking.Transcription";

    /// <summary>How often the taps are drained: well inside a tap's 5 s ring, and a small part of a pause.</summary>
    public static readonly TimeSpan DrainInterval = TimeSpan.FromMilliseconds(100);

    // A tap whose session neither sends frames nor completes (it never started) is given up after this.
    private static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(60);

    private const int QueuedUtterancesPerWorker = 8;

    private readonly TranscriptionService _transcription;
    private readonly TranscriptionSettings _settings;
    private readonly CallRecordWriter _writer;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LiveSegmenterOptions _segmenterOptions = new();
    private readonly ConcurrentDictionary<Guid, LiveCall> _calls = new();
    private readonly Channel<LiveJob> _utterances;
    private readonly Counter<long> _framesDropped;
    private readonly Counter<long> _utterancesDropped;
    private readonly Counter<long> _segments;
    private long _utterancesDroppedCount;
    private long _framesDroppedCount;
    private long _segmentsCount;
    private int _running;

    public LiveTranscriptionService(TranscriptionService transcription, TranscriptionSettings settings, CallRecordWriter writer, TimeProvider time, IMeterFactory meters, ILogger<LiveTranscriptionService> logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(meters);
        _transcription = transcription;
        _settings = settings;
        _writer = writer;
        _time = time;
        _logger = logger;
        var meter = meters.Create(MeterName);
        _framesDropped = meter.CreateCounter<long>("calltracking.transcription.live.frames_dropped", description: "Live audio frames dropped because a call's tap was full");
        _utterancesDropped = meter.CreateCounter<long>("calltracking.transcription.live.utterances_dropped", description: "Live utterances dropped because Whisper was behind");
        _segments = meter.CreateCounter<long>("calltracking.transcription.live.segments", description: "transcript.segment events written");
        _utterances = Channel.CreateBounded<LiveJob>(
            new BoundedChannelOptions(QueuedUtterancesPerWorker * settings.LiveWorkers)
            {
                // Live text is for watching now: when Whisper is behind, what is oldest matters least.
                FullMode = BoundedChannelFullMode.DropOldest,
                SingleWriter = true,
            },
            _ =>
            {
                Interlocked.Increment(ref _utterancesDroppedCount);
                _utterancesDropped.Add(1);
            });
        meter.CreateObservableGauge("calltracking.transcription.live.calls", () => _calls.Count, description: "Calls being transcribed live");
        meter.CreateObservableGauge("calltracking.transcription.live.queue_depth", () => _utterances.Reader.Count, description: "Live utterances waiting for Whisper");
    }

    /// <summary>Calls being transcribed live.</summary>
    public int Calls => _calls.Count;

    /// <summary>Frames dropped by the taps since start.</summary>
    public long FramesDropped => Interlocked.Read(ref _framesDroppedCount);

    /// <summary>Utterances dropped since start because Whisper was behind.</summary>
    public long UtterancesDropped => Interlocked.Read(ref _utterancesDroppedCount);

    /// <summary><c>transcript.segment</c> events queued since start.</summary>
    public long Segments => Interlocked.Read(ref _segmentsCount);

    /// <inheritdoc/>
    public IAudioTap? Begin(Guid callId, Guid organisationId)
    {
        if (Volatile.Read(ref _running) == 0)
        {
            return null;
        }

        var call = new LiveCall(callId, organisationId, new LiveAudioTap(), new LiveSegmenter(_segmenterOptions), new LiveSegmenter(_segmenterOptions), _time.GetTimestamp());
        _calls[callId] = call;
        return call.Tap;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_settings.Live)
        {
            return Task.CompletedTask;
        }

        if (_transcription.Model is not { } model)
        {
            LogLiveWithoutModel(_logger, TranscriptionSettings.LiveKey, TranscriptionService.ModelKey);
            return Task.CompletedTask;
        }

        Volatile.Write(ref _running, 1);
        LogLiveOn(_logger, _settings.LiveWorkers);
        var tasks = new Task[_settings.LiveWorkers + 1];
        for (var i = 0; i < _settings.LiveWorkers; i++)
        {
            // whisper_full holds its thread for the whole utterance: each worker has a thread of its own.
            tasks[i] = Task.Factory.StartNew(() => Transcribe(model, stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }

        tasks[^1] = DrainLoopAsync(stoppingToken);
        return Task.WhenAll(tasks);
    }

    private async Task DrainLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(DrainInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                foreach (var call in _calls.Values)
                {
                    Drain(call);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: what is still in the taps is not transcribed live (the recording's transcript has it).
        }
        finally
        {
            Volatile.Write(ref _running, 0);
            _utterances.Writer.TryComplete();
        }
    }

    /// <summary>Empties one call's tap through its segmenters; forgets the call once its session has completed the tap.</summary>
    private void Drain(LiveCall call)
    {
        // Read before draining: every frame written before Complete is then drained below.
        var completed = call.Tap.IsCompleted;
        var any = false;
        while (call.Tap.TryRead(call.Received, call.Sent, out var index))
        {
            any = true;
            Offer(call, Speaker.Caller, call.Caller.Push(index, call.Received));
            Offer(call, Speaker.Business, call.Business.Push(index, call.Sent));
        }

        var dropped = call.Tap.Dropped;
        if (dropped > call.DroppedReported)
        {
            var delta = dropped - call.DroppedReported;
            Interlocked.Add(ref _framesDroppedCount, delta);
            _framesDropped.Add(delta);
            if (call.DroppedReported == 0)
            {
                LogFramesDropped(_logger, call.CallId, delta);
            }

            call.DroppedReported = dropped;
        }

        var now = _time.GetTimestamp();
        if (any)
        {
            call.LastFrameAt = now;
        }

        if (completed || _time.GetElapsedTime(call.LastFrameAt, now) > StaleAfter)
        {
            Offer(call, Speaker.Caller, call.Caller.Flush());
            Offer(call, Speaker.Business, call.Business.Flush());
            _calls.TryRemove(call.CallId, out _);
        }
    }

    private void Offer(LiveCall call, Speaker speaker, LiveUtterance? utterance)
    {
        if (utterance is not null)
        {
            _utterances.Writer.TryWrite(new LiveJob(call.CallId, call.OrganisationId, speaker, utterance));
        }
    }

    private void Transcribe(WhisperModel model, CancellationToken stoppingToken)
    {
        using var transcriber = model.CreateTranscriber();
        var options = new WhisperOptions { Language = _settings.Language, TemperatureIncrement = _settings.TemperatureIncrement };
        if (_settings.Threads is { } threads)
        {
            options = options with { Threads = threads };
        }

        var reader = _utterances.Reader;
        while (!stoppingToken.IsCancellationRequested)
        {
            LiveJob job;
            try
            {
                // This thread is the worker's own (long-running): waiting on it blocks nobody else.
                if (!reader.WaitToReadAsync(stoppingToken).AsTask().GetAwaiter().GetResult())
                {
                    return;
                }

                if (!reader.TryRead(out job!))
                {
                    continue;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }

            WhisperTranscript transcript;
            try
            {
                transcript = transcriber.Transcribe(job.Utterance.Pcm16k, options, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (WhisperException e)
            {
                LogUtteranceFailed(_logger, job.CallId, e.Message);
                continue;
            }

            foreach (var segment in transcript.Segments)
            {
                if (segment.Text.Length == 0)
                {
                    continue;
                }

                var start = job.Utterance.StartMs + segment.StartMs;
                var payload = new JsonObject
                {
                    ["callId"] = job.CallId,
                    ["speaker"] = TranscriptSegment.SpeakerText(job.Speaker),
                    ["startMs"] = start,
                    ["endMs"] = Math.Max(start, job.Utterance.StartMs + segment.EndMs),
                    // Redacted as the stored transcript is (card numbers, SSN, NI, DOB, e-mail): events are stored and
                    // streamed too. A number spoken across two utterances is only caught in the final transcript.
                    ["text"] = Privacy.TranscriptRedactor.Redact(segment.Text).Text,
                    ["confidence"] = Math.Round(segment.Confidence, 4),
                };
                if (_writer.Enqueue(CallRecordOperation.Event(job.CallId, job.OrganisationId, CallEventKinds.TranscriptSegment, payload)))
                {
                    Interlocked.Increment(ref _segmentsCount);
                    _segments.Add(1);
                }
            }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Live transcription on: {Workers} worker(s) transcribe calls as they go (transcript.segment events)")]
    private static partial void LogLiveOn(ILogger logger, int workers);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "{LiveKey} is true but no {ModelKey} is configured: calls are not transcribed live")]
    private static partial void LogLiveWithoutModel(ILogger logger, string liveKey, string modelKey);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Live transcription of call {CallId} fell behind: {Frames} frames of audio dropped (counted in calltracking.transcription.live.frames_dropped)")]
    private static partial void LogFramesDropped(ILogger logger, Guid callId, long frames);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Live transcription of an utterance of call {CallId} failed: {Error}")]
    private static partial void LogUtteranceFailed(ILogger logger, Guid callId, string error);

    private sealed record LiveJob(Guid CallId, Guid OrganisationId, Speaker Speaker, LiveUtterance Utterance);

    /// <summary>One call's tap and segmenters; touched by the drain loop only (after <see cref="Begin"/>).</summary>
    private sealed class LiveCall(Guid callId, Guid organisationId, LiveAudioTap tap, LiveSegmenter caller, LiveSegmenter business, long startedAt)
    {
        public Guid CallId { get; } = callId;

        public Guid OrganisationId { get; } = organisationId;

        public LiveAudioTap Tap { get; } = tap;

        public LiveSegmenter Caller { get; } = caller;

        public LiveSegmenter Business { get; } = business;

        public short[] Received { get; } = new short[LiveAudioTap.FrameSamples];

        public short[] Sent { get; } = new short[LiveAudioTap.FrameSamples];

        public long DroppedReported { get; set; }

        public long LastFrameAt { get; set; } = startedAt;
    }
}
