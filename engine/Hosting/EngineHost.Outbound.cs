using CallTracking.Engine.Outbound;
using CallTracking.Engine.Tracking.Conversions;
using CallTracking.Engine.Webhooks;

namespace CallTracking.Engine.Hosting;

/// <summary>The outbound side of the composition root: webhooks, conversion uploads and the outbox that sends both.</summary>
public static partial class EngineHost
{
    /// <summary>Registers the outbox worker and the two event consumers that fill it; hosted services, so add after the database.</summary>
    private static void AddOutboundDeliveries(IServiceCollection services, IConfiguration configuration)
    {
        var options = OutboundOptions.From(configuration);
        services.AddSingleton(options);
        services.AddSingleton<DeliverySignal>();
        services.AddHttpClient(DeliveryWorker.HttpClientName, client =>
        {
            // The worker's own per-attempt time-out (Outbound:TimeoutSeconds) is the one that counts; this is a backstop.
            client.Timeout = options.Timeout + TimeSpan.FromSeconds(5);
        });
        services.AddSingleton<WebhookDispatcher>();
        services.AddSingleton<ConversionScheduler>();
        services.AddSingleton(s => new DeliveryWorker(
            s.GetRequiredService<Npgsql.NpgsqlDataSource>(),
            s.GetRequiredService<IHttpClientFactory>(),
            s.GetRequiredService<DeliverySignal>(),
            options,
            Random.Shared.NextDouble,
            s.GetRequiredService<TimeProvider>(),
            s.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
            s.GetRequiredService<ILogger<DeliveryWorker>>()));
        services.AddHostedService(s => s.GetRequiredService<WebhookDispatcher>());
        services.AddHostedService(s => s.GetRequiredService<ConversionScheduler>());
        services.AddHostedService(s => s.GetRequiredService<DeliveryWorker>());
    }
}
