namespace CallTracking.IntegrationTests.Infrastructure;

/// <summary>
/// Tests that start sipp or the engine run one at a time: ports never clash
/// anyway (<see cref="FreePorts"/>), but a 500-call run wants the CPU to itself
/// on a small machine, and sequential runs keep timing failures meaningful.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SippCollection
{
    public const string Name = "sipp and engine processes";
}
