using System.Text;
using CallTracking.Engine.Calls.Control;
using CallTracking.Engine.Configuration;
using CallTracking.Tests.Configuration;
using Microsoft.Extensions.Configuration;

namespace CallTracking.Tests.Calls;

/// <summary>What calls are routed by: stored plans validated like the configuration's, the configured numbers as a
/// provisioning document, and the in-memory directory the SIP threads read.</summary>
public sealed class RoutingDirectoryTests : IDisposable
{
    private const string Config = """
        {
          "Sip": { "Listen": [ "udp:0.0.0.0:5060" ] },
          "Trunks": [
            { "Name": "carrier", "Allow": ["127.0.0.1/32"] },
            { "Name": "office", "Outbound": { "Uri": "sip:10.0.0.5:5080", "OptionsIntervalSeconds": 0 } }
          ],
          "Organisations": [ { "Name": "Acme Plumbing", "TimeZone": "America/New_York" } ],
          "Numbers": [
            { "Number": "+15551230001", "Organisation": "Acme Plumbing", "Campaign": "Google Ads" },
            { "Number": "+15551230002", "Campaign": "Radio" },
            { "Number": "+15551230003" }
          ]
        }
        """;

    private readonly TempConfigFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private EngineSettings Settings()
    {
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(Config))).Build();
        var result = new EngineSettingsValidator(_folder.Path).Validate(configuration);
        Assert.True(result.IsValid, string.Join("\n", result.Faults));
        return result.Settings!;
    }

    [Fact]
    public void Options_interval_0_turns_the_pings_off()
    {
        Assert.Equal(TimeSpan.Zero, Settings().Trunks[1].Outbound!.OptionsInterval);
    }

    [Fact]
    public void Stored_plan_json_is_validated_like_the_configuration_plan()
    {
        var settings = Settings();
        var plan = new EngineSettingsValidator(_folder.Path).ValidatePlanJson(
            """{ "Name": "main", "Announcement": "none", "ForwardMode": "simultaneous", "Forward": [ { "To": "+15559870001", "Trunk": "office", "RingSeconds": 15 }, { "To": "sip:desk@10.0.0.9" } ], "MaxCallMinutes": 30 }""",
            settings.Trunks,
            null,
            out var faults);

        Assert.True(plan is not null, string.Join("\n", faults));
        Assert.Equal(PromptKind.None, plan.Announcement.Kind);
        Assert.Equal(ForwardMode.Simultaneous, plan.ForwardMode);
        Assert.Equal("office", plan.Forward[0].Trunk!.Name);
        Assert.Equal(TimeSpan.FromSeconds(15), plan.Forward[0].Ring);
        Assert.True(plan.Forward[1].IsSipUri);
        Assert.Equal(TimeSpan.FromMinutes(30), plan.MaxCallDuration);
    }

    [Theory]
    [InlineData("""{ "Forward": [ { "To": "12", "Trunk": "office" } ] }""", "Plan:Forward:0")]
    [InlineData("""{ "Forward": [ { "To": "+15559870001", "Trunk": "carrier" } ] }""", "Plan:Forward:0")]
    [InlineData("""not json""", "Plan")]
    [InlineData("""{ "Ring": [ "+15559870001" ] }""", "Plan:Ring")]
    [InlineData("""{ "Forward": [ { "To": "+15559870001", "Trunk": "office", "Ring": 20 } ] }""", "Plan:Forward:0:Ring")]
    public void Invalid_stored_plan_is_refused_with_its_faults(string json, string key)
    {
        var plan = new EngineSettingsValidator(_folder.Path).ValidatePlanJson(json, Settings().Trunks, null, out var faults);

        Assert.Null(plan);
        Assert.Contains(faults, f => f.Key.StartsWith(key, StringComparison.Ordinal));
    }

    [Fact]
    public void Configured_numbers_become_a_provisioning_document_with_a_default_organisation()
    {
        var document = RoutingDirectoryService.ConfigurationDocument(Settings());

        var acme = Assert.Single(document.Organisations, o => o.Name == "Acme Plumbing");
        Assert.Equal("America/New_York", acme.TimeZone);
        Assert.Equal(["+15551230001"], acme.Numbers.Select(n => n.Number));
        Assert.Equal(["Google Ads"], acme.Campaigns.Select(c => c.Name));
        var fallback = Assert.Single(document.Organisations, o => o.Name == RoutingDirectoryService.DefaultOrganisation);
        Assert.Equal(["+15551230002", "+15551230003"], fallback.Numbers.Select(n => n.Number));
        Assert.Equal(["Radio"], fallback.Campaigns.Select(c => c.Name));
        Assert.All(document.Organisations, o => Assert.Empty(o.Plans));
    }

    [Fact]
    public void Directory_finds_a_number_however_the_carrier_writes_it_and_is_replaced_whole()
    {
        var settings = Settings();
        var directory = new RoutingDirectory(settings.Numbers.Select(n => new RouteEntry(n, n.Plan)));

        Assert.True(directory.TryFind("15551230001"u8, out var route));
        Assert.Equal("+15551230001", route.Number.E164);
        Assert.True(directory.TryFind("+1-555-123-0002"u8, out _));
        Assert.False(directory.TryFind("+15559999999"u8, out _));

        var organisation = Guid.NewGuid();
        directory.Replace([new RouteEntry(settings.Numbers[0], settings.Numbers[0].Plan) { OrganisationId = organisation }]);
        Assert.True(directory.TryFind("+15551230001"u8, out route));
        Assert.Equal(organisation, route.OrganisationId);
        Assert.False(directory.TryFind("+15551230002"u8, out _));
    }
}
