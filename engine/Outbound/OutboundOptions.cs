using System.Globalization;

namespace CallTracking.Engine.Outbound;

/// <summary>
/// The outbox's timing, from the <c>Outbound:*</c> configuration keys. The default back-off (30 s doubling to an hour,
/// 31 attempts) keeps retrying for more than 24 hours (<see cref="RetrySchedule.MinimumSpan"/>).
/// </summary>
public sealed record OutboundOptions
{
    public const string Section = "Outbound";

    /// <summary>The first retry's delay; each further one doubles (<c>Outbound:RetryBaseSeconds</c>).</summary>
    public TimeSpan RetryBase { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest delay between two attempts (<c>Outbound:RetryMaxSeconds</c>).</summary>
    public TimeSpan RetryMax { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Attempts before a delivery is failed, the first included (<c>Outbound:MaxAttempts</c>).</summary>
    public int MaxAttempts { get; init; } = 31;

    /// <summary>How long a claimed delivery is an engine's; after it another engine takes it (<c>Outbound:LeaseSeconds</c>).</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The time-out of one HTTP attempt (<c>Outbound:TimeoutSeconds</c>); kept below <see cref="Lease"/>.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the outbox and the event cursors are polled (<c>Outbound:PollSeconds</c>).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Deliveries claimed and sent at once by one engine (<c>Outbound:BatchSize</c>).</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Events read per organisation and step (<c>Outbound:EventBatch</c>).</summary>
    public int EventBatch { get; init; } = 200;

    /// <summary>
    /// On a graceful stop, hand the deliveries in flight back at once (true) or leave them to their lease, as a
    /// crashed engine does (false; tests use it to play a kill).
    /// </summary>
    public bool ReleaseOnStop { get; init; } = true;

    public static OutboundOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        var defaults = new OutboundOptions();
        return new OutboundOptions
        {
            RetryBase = Seconds(section["RetryBaseSeconds"]) ?? defaults.RetryBase,
            RetryMax = Seconds(section["RetryMaxSeconds"]) ?? defaults.RetryMax,
            MaxAttempts = Int(section["MaxAttempts"]) ?? defaults.MaxAttempts,
            Lease = Seconds(section["LeaseSeconds"]) ?? defaults.Lease,
            Timeout = Seconds(section["TimeoutSeconds"]) ?? defaults.Timeout,
            PollInterval = Seconds(section["PollSeconds"]) ?? defaults.PollInterval,
            BatchSize = Int(section["BatchSize"]) ?? defaults.BatchSize,
            EventBatch = Int(section["EventBatch"]) ?? defaults.EventBatch,
        };
    }

    private static TimeSpan? Seconds(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 ? TimeSpan.FromSeconds(seconds) : null;

    private static int? Int(string? text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : null;
}
