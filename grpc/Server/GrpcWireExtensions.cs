using CallTracking.Grpc.Diagnostics;
using CallTracking.Grpc.Health;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CallTracking.Grpc.Server;

/// <summary>Wires the gRPC wire layer into an ASP.NET Core application.</summary>
public static class GrpcWireExtensions
{
    /// <summary>Registers the options, the method registry and the health service (<see cref="Health.GrpcHealthService"/>).</summary>
    public static IServiceCollection AddGrpcWire(this IServiceCollection services, Action<GrpcServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<GrpcServerOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        // A second call only adds its configuration: the health service must not register its methods twice.
        if (services.Any(descriptor => descriptor.ServiceType == typeof(GrpcMethodRegistry)))
        {
            return services;
        }

        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GrpcMetrics>();
        services.TryAddSingleton<GrpcMethodRegistry>();
        services.TryAddSingleton<GrpcHealthService>();
        services.AddSingleton<IGrpcService>(provider => provider.GetRequiredService<GrpcHealthService>());
        return services;
    }

    /// <summary>
    /// Answers every request whose content type is <c>application/grpc*</c> (HTTP/2 only) or, when enabled,
    /// <c>application/grpc-web*</c> (any HTTP version; CORS preflight included) and whose path is a registered
    /// method; passes everything else on. Collects every <see cref="IGrpcService"/> singleton into the registry.
    /// </summary>
    public static IApplicationBuilder UseGrpcWire(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var registry = app.ApplicationServices.GetRequiredService<GrpcMethodRegistry>();
        foreach (var service in app.ApplicationServices.GetServices<IGrpcService>())
        {
            service.Register(registry);
        }

        registry.Freeze();
        return app.UseMiddleware<GrpcDispatcher>();
    }
}
