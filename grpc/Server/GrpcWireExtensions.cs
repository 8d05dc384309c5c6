using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CallTracking.Grpc.Server;

/// <summary>Wires the gRPC wire layer into an ASP.NET Core application.</summary>
public static class GrpcWireExtensions
{
    /// <summary>Registers the options, the method registry and the health service (<see cref="Health.GrpcHealthService"/>).</summary>
    public static IServiceCollection AddGrpcWire(this IServiceCollection services, Action<GrpcServerOptions>? configure = null)
        => throw new NotImplementedException();

    /// <summary>
    /// Answers every request whose content type is <c>application/grpc*</c> (HTTP/2 only) or, when enabled,
    /// <c>application/grpc-web*</c> (any HTTP version; CORS preflight included) and whose path is a registered
    /// method; passes everything else on. Collects every <see cref="IGrpcService"/> singleton into the registry.
    /// </summary>
    public static IApplicationBuilder UseGrpcWire(this IApplicationBuilder app)
        => throw new NotImplementedException();
}
