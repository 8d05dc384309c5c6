namespace CallTracking.IntegrationTests.Dni;

/// <summary>A clock that stands still until the test sets it (lease and cool-down boundaries are exact to the tick).</summary>
internal sealed class FrozenTime(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
