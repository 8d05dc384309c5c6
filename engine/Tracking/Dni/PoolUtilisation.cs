namespace CallTracking.Engine.Tracking.Dni;

/// <summary>
/// A pool's use at one moment and the size it should have. <see cref="Utilisation"/> is (leased + cooling down) /
/// numbers: the share that no new visitor can get. <see cref="RecommendedNumbers"/> follows Little's law — a number
/// is out of circulation for a session's lease plus the cool-down, so the numbers needed on average are the visits
/// per hour × (lease + cool-down minutes) / 60 — with a headroom for peaks and for calls that extend a visit
/// (the share of visits that call, at least 20%): ceil(visits/hour × (lease + cool-down) / 60 × (1 + max(0.2, call rate))).
/// </summary>
public sealed record PoolUtilisation(
    Guid PoolId,
    string Name,
    int Numbers,
    int Leased,
    int CoolingDown,
    double Utilisation,
    double VisitsPerHour,
    double CallRate,
    int LeaseSeconds,
    int CooldownSeconds,
    int RecommendedNumbers,
    string Formula)
{
    /// <summary>The operator is warned above this utilisation.</summary>
    public const double WarningThreshold = 0.75;

    public const double MinimumHeadroom = 0.2;

    public const string FormulaText = "ceil(visits_per_hour × (lease_minutes + cooldown_minutes) / 60 × (1 + max(0.2, call_rate)))";

    public static int Recommend(double visitsPerHour, int leaseSeconds, int cooldownSeconds, double callRate)
    {
        var busyMinutes = (leaseSeconds + cooldownSeconds) / 60.0;
        var needed = visitsPerHour * busyMinutes / 60.0 * (1 + Math.Max(MinimumHeadroom, callRate));
        return (int)Math.Ceiling(Math.Round(needed, 6));
    }
}
