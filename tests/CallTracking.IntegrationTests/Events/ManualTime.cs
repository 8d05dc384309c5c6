namespace CallTracking.IntegrationTests.Events;

/// <summary>A clock the test moves: now is the system's time plus <see cref="Offset"/>.</summary>
internal sealed class ManualTime : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
