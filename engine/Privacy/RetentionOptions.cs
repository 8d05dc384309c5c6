using System.Globalization;

namespace CallTracking.Engine.Privacy;

/// <summary>
/// How the retention sweeper runs: <c>Privacy:RetentionSweepSeconds</c> between sweeps (default 600; 0 switches
/// the sweeper off) and <c>Privacy:RetentionBatch</c> calls per query (default 100). What is kept and for how
/// long is data, per organisation and campaign (<c>retain_*_days</c>), not configuration.
/// </summary>
public sealed record RetentionOptions(TimeSpan Interval, int BatchSize)
{
    public const string IntervalKey = "Privacy:RetentionSweepSeconds";
    public const string BatchKey = "Privacy:RetentionBatch";

    public static RetentionOptions From(IServiceProvider services)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        var seconds = int.TryParse(configuration[IntervalKey], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 600;
        var batch = int.TryParse(configuration[BatchKey], NumberStyles.None, CultureInfo.InvariantCulture, out var b) && b > 0 ? b : 100;
        return new RetentionOptions(TimeSpan.FromSeconds(seconds), batch);
    }
}
