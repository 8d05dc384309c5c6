using CallTracking.Engine.Api;
using CallTracking.Engine.Calls.Control;
using CallTracking.Engine.Configuration;
using CallTracking.Engine.Dashboard;
using CallTracking.Engine.Events;
using CallTracking.Engine.Grpc;
using CallTracking.Engine.Security;
using CallTracking.Grpc.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CallTracking.Tests.Security;

/// <summary>
/// The policy table against what the engine registers: every REST endpoint and gRPC method the engine maps is in
/// <see cref="AccessPolicy.Table"/> or <see cref="AccessPolicy.Public"/>, and the table names nothing that is not
/// mapped. A new endpoint without a policy fails here (and is refused to everyone at run time).
/// </summary>
public sealed class AccessPolicyTests
{
    [Fact]
    public async Task Every_registered_REST_endpoint_and_gRPC_method_has_a_policy_and_every_policy_an_endpoint()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddSingleton(NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Database=none"));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<EngineSettings>(_ => throw new InvalidOperationException("not used to map"));
        builder.Services.AddSingleton<IRecordingPauseControl, NoLiveCalls>();
        builder.Services.AddSingleton(services => new RecordingLinks(services.GetRequiredService<NpgsqlDataSource>(), () => new Uri("http://127.0.0.1/"), TimeProvider.System, services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        builder.Services.AddCallTrackingApi();
        builder.Services.AddCallTrackingDashboard();

        // Services the privacy endpoints take: registered so mapping sees them as services, never built here.
        builder.Services.AddSingleton<CallTracking.Engine.Privacy.RecordingReader>(_ => throw new InvalidOperationException("not used to map"));
        builder.Services.AddSingleton(services => new CallTracking.Engine.Privacy.DataDeletion(services.GetRequiredService<NpgsqlDataSource>(), Path.GetTempPath(), services.GetRequiredService<CallTracking.Engine.Privacy.IAuditSink>(), TimeProvider.System));
        builder.Services.AddSingleton<CallTracking.Engine.Privacy.SubjectRequests>(_ => throw new InvalidOperationException("not used to map"));
        builder.Services.AddSingleton<CallTracking.Engine.Privacy.OrganisationExit>(_ => throw new InvalidOperationException("not used to map"));

        // And those of the outbound (webhooks, deliveries, conversions) and number insertion endpoints.
        builder.Services.AddSingleton<CallTracking.Engine.Outbound.OutboundOptions>(_ => throw new InvalidOperationException("not used to map"));
        builder.Services.AddSingleton<CallTracking.Engine.Outbound.DeliverySignal>(_ => throw new InvalidOperationException("not used to map"));
        CallTracking.Engine.Tracking.Dni.DniEndpoints.AddCallTrackingDni(builder.Services, builder.Configuration);
        builder.Services.AddSingleton(services => new RecordingStore(services.GetRequiredService<ApiDatabase>(), Path.GetTempPath()));
        builder.Services.AddSingleton(new EventFeedOptions());
        builder.Services.AddSingleton<EventStore>();
        builder.Services.AddSingleton<EventFeed>();
        builder.Services.AddSingleton<IBearerAuthenticator>(services => services.GetRequiredService<BearerAuthenticator>());
        builder.Services.AddSingleton<GrpcAuthentication>();
        builder.Services.AddGrpcWire();
        builder.Services.AddSingleton<CallEventsService>();
        builder.Services.AddSingleton<CallsService>();
        builder.Services.AddSingleton<IGrpcService>(services => services.GetRequiredService<CallEventsService>());
        builder.Services.AddSingleton<IGrpcService>(services => services.GetRequiredService<CallsService>());
        await using var app = builder.Build();
        app.UseGrpcWire();
        app.UseCallTrackingApi();
        app.MapCallTrackingDashboard();

        var registered = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>())
        {
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
            {
                registered.Add(AccessPolicy.RestKey(method, AccessPolicyEnforcement.PatternText(endpoint.RoutePattern)));
            }
        }

        foreach (var path in app.Services.GetRequiredService<GrpcMethodRegistry>().MethodPaths)
        {
            registered.Add(path);
        }

        Assert.Contains("GET /v1/calls/{id:guid}", registered);
        Assert.Contains("/calltracking.v1.Calls/GetCall", registered);
        var missing = registered.Where(e => !AccessPolicy.Table.ContainsKey(e) && !AccessPolicy.Public.Contains(e)).ToList();
        Assert.True(missing.Count == 0, "endpoints without a policy: " + string.Join(", ", missing));
        var stale = AccessPolicy.Table.Keys.Concat(AccessPolicy.Public).Where(e => !registered.Contains(e)).ToList();
        Assert.True(stale.Count == 0, "policies for endpoints that are not mapped: " + string.Join(", ", stale));
    }

    [Fact]
    public void Analysts_never_get_audio_and_agents_never_configuration_or_the_organisation_stream()
    {
        foreach (var audio in new[] { "GET /v1/calls/{id:guid}/recording", "/calltracking.v1.Calls/GetRecordingLink", "/calltracking.v1.Calls/PauseRecording" })
        {
            Assert.False(AccessPolicy.Allows(audio, Role.Analyst));
            Assert.True(AccessPolicy.Allows(audio, Role.Agent));
        }

        foreach (var (endpoint, _) in AccessPolicy.Table.Where(e => !e.Key.Contains("/calls", StringComparison.Ordinal) && !e.Key.Contains("Calls/", StringComparison.Ordinal)))
        {
            Assert.False(AccessPolicy.Allows(endpoint, Role.Agent), endpoint);
        }

        Assert.False(AccessPolicy.Allows("GET /v1/audit", Role.Manager));
        Assert.False(AccessPolicy.Allows("GET /v1/no/such/endpoint", Role.AgencyAdmin));
    }

    private sealed class NoLiveCalls : IRecordingPauseControl
    {
        public Task<RecordingPauseResult> SetRecordingPausedAsync(Guid callId, bool paused, string actor, CancellationToken cancellationToken) =>
            Task.FromResult(RecordingPauseResult.NotLive);
    }
}
