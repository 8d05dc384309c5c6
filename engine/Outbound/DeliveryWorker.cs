using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using CallTracking.Engine.Tracking.Conversions;
using CallTracking.Engine.Webhooks;
using Npgsql;

namespace CallTracking.Engine.Outbound;

/// <summary>
/// Sends the outbox: claims due deliveries (<see cref="OutboxStore.ClaimAsync"/>), POSTs each with
/// <see cref="WebhookHeaders.Delivery"/> (stable across retries, for receivers to de-duplicate) and, for webhooks, a
/// fresh <see cref="WebhookSignature"/>; for conversions, the platform's credentials. The answer is recorded with the
/// attempt in one step; transient failures come back after <see cref="RetrySchedule"/>. Every engine runs one;
/// they share the table through the claim's lease.
/// </summary>
public sealed partial class DeliveryWorker : IHostedService, IAsyncDisposable
{
    public const string MeterName = "CallTracking.Outbound";

    /// <summary>The named <see cref="HttpClient"/> (IHttpClientFactory) outbound requests use.</summary>
    public const string HttpClientName = "outbound";

    private const int ResponseExcerpt = 2000;

    private readonly OutboxStore _store;
    private readonly IHttpClientFactory _http;
    private readonly DeliverySignal _signal;
    private readonly OutboundOptions _options;
    private readonly RetrySchedule _schedule;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _engine;
    private readonly CancellationTokenSource _stop = new();
    private readonly Counter<long> _sent;
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _retried;
    private Task _running = Task.CompletedTask;
    private int _disposed;

    public DeliveryWorker(
        NpgsqlDataSource dataSource,
        IHttpClientFactory http,
        DeliverySignal signal,
        OutboundOptions options,
        Func<double> random,
        TimeProvider time,
        IMeterFactory meters,
        ILogger<DeliveryWorker> logger)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(signal);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(logger);
        _store = new OutboxStore(dataSource);
        _http = http;
        _signal = signal;
        _options = options;
        _schedule = new RetrySchedule(options, random);
        _time = time;
        _logger = logger;
        _engine = string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}");
        var meter = meters.Create(MeterName);
        _sent = meter.CreateCounter<long>("calltracking.outbound.sent", description: "Deliveries answered 2xx (webhooks, GA4)");
        _accepted = meter.CreateCounter<long>("calltracking.outbound.accepted", description: "Conversions the platform accepted");
        _rejected = meter.CreateCounter<long>("calltracking.outbound.rejected", description: "Deliveries the receiver refused for good");
        _failed = meter.CreateCounter<long>("calltracking.outbound.failed", description: "Deliveries that ran out of retries");
        _retried = meter.CreateCounter<long>("calltracking.outbound.retried", description: "Attempts that failed and were scheduled again");
    }

    /// <summary>This engine's name in <c>locked_by</c> and the attempt log.</summary>
    public string Engine => _engine;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _running = Task.Run(RunAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (_options.ReleaseOnStop)
        {
            await _store.ReleaseAsync(_engine, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _running.ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>Claims and sends one batch; returns how many were claimed.</summary>
    public async Task<int> StepAsync(CancellationToken cancellationToken)
    {
        var batch = await _store.ClaimAsync(_engine, _time.GetUtcNow(), _options.Lease, _options.BatchSize, cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(batch.Select(d => DeliverAsync(d, cancellationToken))).ConfigureAwait(false);
        return batch.Count;
    }

    private async Task RunAsync()
    {
        var failing = false;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                while (await StepAsync(_stop.Token).ConfigureAwait(false) > 0)
                {
                    // More may be due: claim again before sleeping.
                }

                if (failing)
                {
                    failing = false;
                    LogRecovered();
                }

                await _signal.WaitAsync(_options.PollInterval, _time, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                if (!failing)
                {
                    failing = true;
                    LogDatabaseFailed(e);
                }

                try
                {
                    await Task.Delay(_options.PollInterval, _time, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task DeliverAsync(OutboundDelivery delivery, CancellationToken cancellationToken)
    {
        var startedAt = _time.GetUtcNow();
        DeliveryOutcome outcome;
        int? status = null;
        string? response = null;
        if (delivery.Attempts > delivery.MaxAttempts)
        {
            // Claimed again after its engine died on the last attempt: nothing left to try.
            outcome = DeliveryOutcome.Retry("no retries left");
        }
        else
        {
            using var request = Prepare(delivery, startedAt);
            using var timeout = new CancellationTokenSource(_options.Timeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            try
            {
                using var answer = await _http.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token).ConfigureAwait(false);
                status = (int)answer.StatusCode;
                response = ConversionRequests.Excerpt(await answer.Content.ReadAsStringAsync(linked.Token).ConfigureAwait(false), ResponseExcerpt);
                outcome = delivery.Kind == DeliveryKind.Conversion && delivery.Platform is { } platform
                    ? ConversionRequests.Classify(platform, status.Value, response)
                    : WebhookOutcome(status.Value, response);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The engine stops mid-request: record nothing. The row stays ours until it is released or its
                // lease runs out, and is then sent again with the same delivery id.
                return;
            }
            catch (OperationCanceledException)
            {
                outcome = DeliveryOutcome.Retry($"no answer within {_options.Timeout.TotalSeconds:0.#} s");
            }
            catch (HttpRequestException e)
            {
                outcome = DeliveryOutcome.Retry(e.Message);
            }
        }

        var delay = _schedule.DelayAfter(delivery.Attempts);
        var recorded = await _store.CompleteAsync(delivery, _engine, outcome, status, response, startedAt, _time.GetUtcNow(), delay, CancellationToken.None).ConfigureAwait(false);
        switch (recorded)
        {
            case null:
                LogLeaseLost(delivery.Id);
                break;
            case DeliveryStatus.Sent:
                _sent.Add(1, new KeyValuePair<string, object?>("kind", delivery.Kind));
                break;
            case DeliveryStatus.Accepted:
                _accepted.Add(1, new KeyValuePair<string, object?>("platform", delivery.Platform));
                break;
            case DeliveryStatus.Rejected:
                _rejected.Add(1, new KeyValuePair<string, object?>("kind", delivery.Kind));
                LogRejected(delivery.Id, delivery.Url, outcome.Reason);
                break;
            case DeliveryStatus.Failed:
                _failed.Add(1, new KeyValuePair<string, object?>("kind", delivery.Kind));
                LogFailed(delivery.Id, delivery.Url, delivery.Attempts, outcome.Reason);
                break;
            default:
                _retried.Add(1, new KeyValuePair<string, object?>("kind", delivery.Kind));
                LogRetry(delivery.Id, delivery.Attempts, delay.TotalSeconds, outcome.Reason);
                break;
        }
    }

    /// <summary>Webhooks: any non-2xx is retried (a receiver mid-deploy answers 404 or 502), except 410 Gone, which ends it.</summary>
    private static DeliveryOutcome WebhookOutcome(int status, string? response) => status switch
    {
        >= 200 and < 300 => DeliveryOutcome.Sent(),
        410 => DeliveryOutcome.Rejected("HTTP 410 Gone" + (response is null ? string.Empty : ": " + response)),
        _ => DeliveryOutcome.Retry($"HTTP {status}" + (response is null ? string.Empty : ": " + response)),
    };

    private HttpRequestMessage Prepare(OutboundDelivery delivery, DateTimeOffset now)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
        {
            Content = new StringContent(delivery.Body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("CallTracking", "1"));
        request.Headers.TryAddWithoutValidation(WebhookHeaders.Delivery, delivery.Id.ToString());
        request.Headers.TryAddWithoutValidation(WebhookHeaders.Attempt, delivery.Attempts.ToString(CultureInfo.InvariantCulture));
        if (delivery.ReplayOf is { } original)
        {
            request.Headers.TryAddWithoutValidation(WebhookHeaders.ReplayOf, original.ToString());
        }

        if (delivery.Kind == DeliveryKind.Webhook)
        {
            request.Headers.TryAddWithoutValidation(WebhookHeaders.Event, delivery.EventType);
            if (delivery.WebhookSecret is { } secret)
            {
                request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Sign(secret, delivery.Body, now));
            }
        }
        else if (delivery.Platform is { } platform)
        {
            ConversionRequests.Authorize(request, platform, ConversionRequests.ParseSettings(delivery.SettingsJson));
        }

        return request;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbound delivery {DeliveryId}: the lease ran out before the answer was recorded; another engine has it")]
    private partial void LogLeaseLost(Guid deliveryId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbound delivery {DeliveryId} to {Url} rejected: {Reason}")]
    private partial void LogRejected(Guid deliveryId, string url, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbound delivery {DeliveryId} to {Url} failed after {Attempts} attempts: {Reason}")]
    private partial void LogFailed(Guid deliveryId, string url, int attempts, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbound delivery {DeliveryId} attempt {Attempt} failed ({Reason}); retrying in {DelaySeconds:0.#} s")]
    private partial void LogRetry(Guid deliveryId, int attempt, double delaySeconds, string? reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbound deliveries: the database cannot be reached; retrying every poll interval")]
    private partial void LogDatabaseFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbound deliveries: the database answers again")]
    private partial void LogRecovered();
}
