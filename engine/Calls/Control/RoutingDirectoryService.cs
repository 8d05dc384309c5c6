using CallTracking.Engine.Calls.Prompts;
using CallTracking.Engine.Configuration;
using CallTracking.Engine.Provisioning;
using CallTracking.Engine.Tracking;
using CallTracking.Media.Sessions;
using Npgsql;

namespace CallTracking.Engine.Calls.Control;

/// <summary>
/// Keeps <see cref="RoutingDirectory"/> in step with the configuration and the database. At start (after the
/// migrations) the configured organisations, campaigns and numbers are written through the <see cref="Provisioner"/>,
/// so every call row can name them; then every number in the database is loaded (numbers provisioned only through
/// the API or a provisioning file route too), and reloaded every <see cref="RefreshInterval"/>. A configured
/// number keeps its configured plan; a number only in the database gets its stored plan, validated like the
/// configuration's. Prompts are loaded (and text spoken) here, never on a SIP thread.
/// </summary>
public sealed partial class RoutingDirectoryService : IHostedService, IAsyncDisposable
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(10);

    /// <summary>The organisation of configured numbers that name none (every call row needs one).</summary>
    public const string DefaultOrganisation = "Default";

    private readonly EngineSettings _settings;
    private readonly NpgsqlDataSource? _dataSource;
    private readonly RoutingDirectory _directory;
    private readonly PromptLibrary _prompts;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly EngineSettingsValidator _validator = new(AppContext.BaseDirectory);
    private readonly HashSet<string> _reportedFaults = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;
    private int _disposed;

    public RoutingDirectoryService(EngineSettings settings, NpgsqlDataSource? dataSource, RoutingDirectory directory, PromptLibrary prompts, TimeProvider time, ILogger<RoutingDirectoryService> logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _dataSource = dataSource;
        _directory = directory;
        _prompts = prompts;
        _time = time;
        _logger = logger;
    }

    /// <summary>The routes of the configured numbers alone (no database ids yet), with their prompts.</summary>
    public static IEnumerable<RouteEntry> FromConfiguration(EngineSettings settings, PromptLibrary prompts, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Numbers.Select(n => new RouteEntry(n, n.Plan) { Prompts = LoadPrompts(n.Plan, prompts, logger) });
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _directory.Replace(FromConfiguration(_settings, _prompts, _logger));
        if (_dataSource is null)
        {
            return;
        }

        var result = await new Provisioner(_dataSource).ApplyAsync(ConfigurationDocument(_settings), cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new ProvisioningException("the configured Organisations and Numbers could not be written to the database", result.Errors);
        }

        LogProvisioned(result.Summary);
        await RefreshAsync(cancellationToken).ConfigureAwait(false);
        _loop = RefreshLoopAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        await _loop.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stopping.Dispose();
        }
    }

    /// <summary>The configured organisations with their campaigns and numbers, as a provisioning document.</summary>
    public static ProvisioningDocument ConfigurationDocument(EngineSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var organisations = new List<OrganisationSpec>();
        var names = settings.Organisations.Select(o => o.Name).ToList();
        if (settings.Numbers.Any(n => n.Organisation is null) && !names.Contains(DefaultOrganisation, StringComparer.OrdinalIgnoreCase))
        {
            names.Add(DefaultOrganisation);
        }

        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i];
            var settingsOrganisation = settings.Organisations.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase));
            var numbers = settings.Numbers
                .Where(n => string.Equals(n.Organisation ?? DefaultOrganisation, name, StringComparison.OrdinalIgnoreCase))
                .ToList();
            var campaigns = numbers.Where(n => n.Campaign is not null).Select(n => n.Campaign!).Distinct(StringComparer.Ordinal)
                .Select((c, j) => new CampaignSpec($"Organisations[{i}].Campaigns[{j}]", c, null)).ToList();
            var numberSpecs = numbers.Select((n, j) => new NumberSpec($"Numbers[{j}]", n.E164, n.Campaign, null, n.Name)).ToList();
            organisations.Add(new OrganisationSpec(
                $"Organisations[{i}]",
                name,
                settingsOrganisation?.Parent,
                settingsOrganisation?.TimeZone?.Id,
                [],
                campaigns,
                numberSpecs));
        }

        return new ProvisioningDocument(organisations, []);
    }

    private async Task RefreshLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(RefreshInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await RefreshAsync(cancellationToken).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // Whatever the database or a stored plan throws, keep routing with what we have.
                catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
                {
                    // The next refresh tries again.
                    LogRefreshFailed(e.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>Reads every number from the database and replaces the directory.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        if (_dataSource is null)
        {
            return;
        }

        var configured = _settings.Numbers.ToDictionary(n => n.E164, StringComparer.Ordinal);
        var previous = _directory.Routes.ToDictionary(r => r.Number.E164, StringComparer.Ordinal);
        var routes = new List<RouteEntry>();
        await using var command = _dataSource.CreateCommand(
            """
            SELECT n.id, n.number, n.name, n.organisation_id, o.name, o.time_zone, c.id, c.name, p.definition::text
            FROM tracking_numbers n
            JOIN organisations o ON o.id = n.organisation_id
            LEFT JOIN campaigns c ON c.id = n.campaign_id
            LEFT JOIN routing_plans p ON p.id = coalesce(n.plan_id, c.default_plan_id)
            """);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var e164 = reader.GetString(1);
                var name = reader.IsDBNull(2) ? null : reader.GetString(2);
                var organisation = reader.GetString(4);
                var zoneId = reader.GetString(5);
                var campaignId = reader.IsDBNull(6) ? (Guid?)null : reader.GetGuid(6);
                var campaign = reader.IsDBNull(7) ? null : reader.GetString(7);
                var planJson = reader.IsDBNull(8) ? null : reader.GetString(8);
                RouteEntry route;
                if (configured.TryGetValue(e164, out var number))
                {
                    route = previous.TryGetValue(e164, out var known) && known.Number == number
                        ? known
                        : new RouteEntry(number, number.Plan) { Prompts = LoadPrompts(number.Plan, _prompts, _logger) };
                }
                else
                {
                    var plan = RoutingPlan.Default;
                    if (planJson is not null)
                    {
                        TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var zone);
                        var parsed = _validator.ValidatePlanJson(planJson, _settings.Trunks, zone, out var faults);
                        if (parsed is null)
                        {
                            if (_reportedFaults.Add(e164 + "\n" + planJson))
                            {
                                LogBadPlan(e164, string.Join("; ", faults));
                            }

                            continue;
                        }

                        plan = parsed;
                    }

                    // Keep the previous entry (and its loaded prompts) while the stored plan is the same.
                    if (previous.TryGetValue(e164, out var known) && _planText.TryGetValue(e164, out var text) && text == planJson)
                    {
                        route = known;
                    }
                    else
                    {
                        var tracking = new TrackingNumber(e164, name ?? campaign ?? e164) { Organisation = organisation, Campaign = campaign, Plan = plan };
                        route = new RouteEntry(tracking, plan) { Prompts = LoadPrompts(plan, _prompts, _logger) };
                        _planText[e164] = planJson;
                    }
                }

                routes.Add(route with
                {
                    NumberId = reader.GetGuid(0),
                    OrganisationId = reader.GetGuid(3),
                    CampaignId = campaignId,
                    CampaignName = campaign,
                });
            }
        }

        // Configured numbers the database does not have (should not happen after provisioning) still route.
        foreach (var number in _settings.Numbers)
        {
            if (!routes.Exists(r => r.Number.E164 == number.E164))
            {
                routes.Add(previous.TryGetValue(number.E164, out var known) ? known : new RouteEntry(number, number.Plan) { Prompts = LoadPrompts(number.Plan, _prompts, _logger) });
            }
        }

        _directory.Replace(routes);
    }

    private readonly Dictionary<string, string?> _planText = new(StringComparer.Ordinal);

    private static PlanPrompts LoadPrompts(RoutingPlan plan, PromptLibrary prompts, ILogger logger)
    {
        var byPlan = new Dictionary<RoutingPlan, (PromptAudio?, PromptAudio?, PromptAudio?)>(ReferenceEqualityComparer.Instance);
        for (var current = plan; current is not null && !byPlan.ContainsKey(current); current = current.Outside)
        {
            byPlan[current] = (
                Load(() => prompts.RecordingNotice(Spec(current.Announcement)), logger),
                Load(() => prompts.Get(Spec(current.Whisper)), logger),
                current.Voicemail is { } voicemail ? Load(() => prompts.VoicemailGreeting(Spec(voicemail.Greeting)), logger) : null);
        }

        return new PlanPrompts(byPlan);
    }

    private static string? Spec(Prompt prompt) => prompt.Kind switch
    {
        PromptKind.None => PromptLibrary.NoneSpec,
        PromptKind.Default => null,
        _ => prompt.Value,
    };

    private static PromptAudio? Load(Func<PromptAudio?> load, ILogger logger)
    {
        try
        {
            return load();
        }
        catch (PromptException e)
        {
            // The call goes on without the prompt; the operator sees why.
            LogPromptFailed(logger, e.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Configured organisations and numbers written to the database: {Summary}")]
    private partial void LogProvisioned(string summary);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the tracking numbers from the database failed: {Reason}; routing with the previous ones")]
    private partial void LogRefreshFailed(string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Tracking number {Number}: its stored routing plan is not valid and calls to it are refused (404): {Faults}. Fix the plan with PUT /v1/plans/{{id}} or the provisioning file, or define the trunk it names in the configuration")]
    private partial void LogBadPlan(string number, string faults);

    [LoggerMessage(Level = LogLevel.Error, Message = "A prompt cannot be played and is skipped: {Reason}")]
    private static partial void LogPromptFailed(ILogger logger, string reason);
}
