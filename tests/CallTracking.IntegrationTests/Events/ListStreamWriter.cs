using CallTracking.Grpc.Server;

namespace CallTracking.IntegrationTests.Events;

/// <summary>
/// The response side of a server-streaming call, kept in a list: what a client would have received, in order.
/// <see cref="WriteDelay"/> makes it a slow client. <see cref="WaitForAsync"/> waits until enough arrived.
/// </summary>
internal sealed class ListStreamWriter<T> : IServerStreamWriter<T>
{
    private readonly List<T> _items = [];
    private readonly SemaphoreSlim _written = new(0);

    public TimeSpan WriteDelay { get; init; }

    public IReadOnlyList<T> Items
    {
        get
        {
            lock (_items)
            {
                return [.. _items];
            }
        }
    }

    public async Task WriteAsync(T message, CancellationToken cancellationToken = default)
    {
        if (WriteDelay > TimeSpan.Zero)
        {
            await Task.Delay(WriteDelay, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        lock (_items)
        {
            _items.Add(message);
        }

        _written.Release();
    }

    /// <summary>Whether the handler sent its response headers (<see cref="WriteResponseHeadersAsync"/>) before any message.</summary>
    public bool HeadersSent { get; private set; }

    public Task WriteResponseHeadersAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        HeadersSent = true;
        return Task.CompletedTask;
    }

    /// <summary>Waits until <paramref name="count"/> messages arrived (or fails after <paramref name="timeout"/>, default 20 s); returns them.</summary>
    public async Task<IReadOnlyList<T>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (Items.Count < count)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _written.WaitAsync(left))
            {
                throw new TimeoutException($"{Items.Count} of {count} messages arrived");
            }
        }

        return Items;
    }
}
