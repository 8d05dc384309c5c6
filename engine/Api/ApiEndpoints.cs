using CallTracking.Engine.Dashboard;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using CallTracking.Engine.Configuration;
using Npgsql;

namespace CallTracking.Engine.Api;

/// <summary>
/// The REST API: registration (<see cref="AddCallTrackingApi"/>) and the request pipeline with every
/// endpoint (<see cref="UseCallTrackingApi"/>). Every error is an RFC 9457 problem
/// (<c>application/problem+json</c>), including unknown routes (404), wrong methods (405) and
/// failures (500, never with a stack trace; 503 when the database cannot be reached).
/// </summary>
public static partial class ApiEndpoints
{
    public const string MeterName = "CallTracking.Api";

    public static IServiceCollection AddCallTrackingApi(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;

            // Never show exception details, whatever the environment.
            context.ProblemDetails.Extensions.Remove("exception");
        });
        services.ConfigureHttpJsonOptions(options =>
        {
            // Member names follow the query parameters (page_token): snake_case.
            options.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
        });
        services.AddSingleton<ApiKeyStore>();
        services.TryAddSingleton<DashboardSessionStore>();
        services.AddSingleton<BearerAuthenticator>();
        services.AddSingleton<ApiDatabase>();
        services.TryAddSingleton<Privacy.AuditTrail>();
        services.TryAddSingleton<Privacy.IAuditSink>(services => services.GetRequiredService<Privacy.AuditTrail>());
        services.AddSingleton<CallQueries>();
        services.AddSingleton(services => new RecordingStore(services.GetRequiredService<ApiDatabase>(), services.GetRequiredService<EngineSettings>().DataPath));
        return services;
    }

    public static WebApplication UseCallTrackingApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = exception => exception is NpgsqlException or TimeoutException
                ? StatusCodes.Status503ServiceUnavailable
                : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
        app.UseMiddleware<ApiKeyAuthentication>();
        app.UseRouting();
        app.UseMiddleware<AccessPolicyEnforcement>();

        var v1 = app.MapGroup("/v1");
        MapOrganisations(v1);
        MapCampaigns(v1);
        MapNumbers(v1);
        MapPlans(v1);
        MapTrunks(v1);
        MapCalls(v1);
        MapPrivacy(v1);
        MapWebhooks(v1);
        MapDeliveries(v1);
        MapConversionActions(v1);
        MapDni(v1);
        MapAccessControl(v1);
        app.MapSignedRecordings();
        return app;
    }

    /// <summary>The principal <see cref="ApiKeyAuthentication"/> stored for this request.</summary>
    internal static ApiPrincipal Principal(this HttpContext context) =>
        context.Items[typeof(ApiPrincipal)] as ApiPrincipal
        ?? throw new InvalidOperationException("An API endpoint ran without an authenticated principal.");

    private static bool IsUniqueViolation(PostgresException e) => e.SqlState == PostgresErrorCodes.UniqueViolation;

    private static bool IsStillReferenced(PostgresException e) => e.SqlState == PostgresErrorCodes.ForeignKeyViolation;
}
