namespace CallTracking.Engine.Tracking.Dni;

/// <summary>The <c>events.kind</c> values dynamic number insertion writes.</summary>
public static class DniEventKinds
{
    /// <summary>A call was tied to a visitor session or a static source (calltracking.v1.CallAttributed).</summary>
    public const string Attributed = Storage.CallEventKinds.Attributed;

    /// <summary>A visitor got a pool's fallback number because every number was taken (calltracking.v1.PoolExhausted).</summary>
    public const string PoolExhausted = "pool.exhausted";
}
