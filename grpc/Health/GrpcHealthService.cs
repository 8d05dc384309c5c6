using System.Threading.Channels;
using CallTracking.Grpc.Server;
using Grpc.Health.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace CallTracking.Grpc.Health;

/// <summary>
/// <c>grpc.health.v1.Health</c>: Check and Watch over statuses the host sets. The server as a whole
/// (service "") and every registered service start SERVING; the host sets NOT_SERVING while it shuts down.
/// </summary>
public sealed class GrpcHealthService : IGrpcService
{
    public const string ServiceName = "grpc.health.v1.Health";

    // Statuses set by the host and the watchers of each service; both guarded by _gate.
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ServingStatus> _statuses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Channel<ServingStatus>>> _watchers = new(StringComparer.Ordinal);
    private GrpcMethodRegistry? _registry;

    public void Register(GrpcMethodRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        lock (_gate)
        {
            _registry = registry;
        }

        registry
            .AddUnary<HealthCheckRequest, HealthCheckResponse>(ServiceName, "Check", CheckAsync)
            .AddServerStreaming<HealthCheckRequest, HealthCheckResponse>(ServiceName, "Watch", WatchAsync);
    }

    /// <summary>Sets a service's status ("" for the whole server) and wakes its watchers.</summary>
    public void SetStatus(string service, HealthCheckResponse.Types.ServingStatus status)
    {
        ArgumentNullException.ThrowIfNull(service);
        lock (_gate)
        {
            _statuses[service] = status;
            if (_watchers.TryGetValue(service, out var watchers))
            {
                foreach (var watcher in watchers)
                {
                    // Capacity one, drop-oldest: a slow watcher sees the latest status, never a backlog.
                    watcher.Writer.TryWrite(status);
                }
            }
        }
    }

    /// <summary>The status of a service now, or null when the service is unknown.</summary>
    public HealthCheckResponse.Types.ServingStatus? GetStatus(string service)
    {
        lock (_gate)
        {
            return CurrentStatus(service);
        }
    }

    private Task<HealthCheckResponse> CheckAsync(HealthCheckRequest request, ServerCallContext context)
    {
        // health.proto: an unknown service is NOT_FOUND for Check.
        var status = GetStatus(request.Service)
            ?? throw new GrpcException(StatusCode.NotFound, $"Unknown service '{request.Service}'.");
        return Task.FromResult(new HealthCheckResponse { Status = status });
    }

    private async Task WatchAsync(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> writer, ServerCallContext context)
    {
        var changes = Channel.CreateBounded<ServingStatus>(new BoundedChannelOptions(1)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        ServingStatus current;
        lock (_gate)
        {
            // health.proto: Watch answers SERVICE_UNKNOWN for an unknown service and keeps watching it.
            current = CurrentStatus(request.Service) ?? ServingStatus.ServiceUnknown;
            if (!_watchers.TryGetValue(request.Service, out var watchers))
            {
                watchers = [];
                _watchers[request.Service] = watchers;
            }

            watchers.Add(changes);
        }

        try
        {
            await writer.WriteAsync(new HealthCheckResponse { Status = current }, context.CancellationToken).ConfigureAwait(false);
            await foreach (var status in changes.Reader.ReadAllAsync(context.CancellationToken).ConfigureAwait(false))
            {
                if (status == current)
                {
                    continue;
                }

                current = status;
                await writer.WriteAsync(new HealthCheckResponse { Status = status }, context.CancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            lock (_gate)
            {
                var watchers = _watchers[request.Service];
                watchers.Remove(changes);
                if (watchers.Count == 0)
                {
                    _watchers.Remove(request.Service);
                }
            }
        }
    }

    private ServingStatus? CurrentStatus(string service)
    {
        if (_statuses.TryGetValue(service, out var status))
        {
            return status;
        }

        return service.Length == 0 || (_registry?.HasService(service) ?? false) ? ServingStatus.Serving : null;
    }
}
