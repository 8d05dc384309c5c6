using System.Collections.Concurrent;

namespace CallTracking.IntegrationTests.Grpc;

/// <summary>What the interop service's WaitForCancel saw, by the tag each call carries.</summary>
public sealed class CancellationLog
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _started = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _cancelled = new(StringComparer.Ordinal);

    public void Started(string tag) => Entry(_started, tag).TrySetResult();

    public void Cancelled(string tag) => Entry(_cancelled, tag).TrySetResult();

    public bool WasCancelled(string tag) => Entry(_cancelled, tag).Task.IsCompleted;

    public Task WaitStartedAsync(string tag, TimeSpan timeout) => Entry(_started, tag).Task.WaitAsync(timeout);

    /// <summary>Completes when the handler of <paramref name="tag"/> observed its cancellation token fire.</summary>
    public Task WaitCancelledAsync(string tag, TimeSpan timeout) => Entry(_cancelled, tag).Task.WaitAsync(timeout);

    private static TaskCompletionSource Entry(ConcurrentDictionary<string, TaskCompletionSource> map, string tag) =>
        map.GetOrAdd(tag, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
