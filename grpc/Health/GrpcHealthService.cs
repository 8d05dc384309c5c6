using CallTracking.Grpc.Server;
using Grpc.Health.V1;

namespace CallTracking.Grpc.Health;

/// <summary>
/// <c>grpc.health.v1.Health</c>: Check and Watch over statuses the host sets. The server as a whole
/// (service "") and every registered service start SERVING; the host sets NOT_SERVING while it shuts down.
/// </summary>
public sealed class GrpcHealthService : IGrpcService
{
    public void Register(GrpcMethodRegistry registry) => throw new NotImplementedException();

    /// <summary>Sets a service's status ("" for the whole server) and wakes its watchers.</summary>
    public void SetStatus(string service, HealthCheckResponse.Types.ServingStatus status) => throw new NotImplementedException();
}
