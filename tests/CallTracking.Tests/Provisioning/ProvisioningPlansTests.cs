using System.Text;
using CallTracking.Engine.Configuration;
using CallTracking.Engine.Provisioning;
using CallTracking.Engine.Sip.Trunks;
using Microsoft.Extensions.Configuration;

namespace CallTracking.Tests.Provisioning;

/// <summary>A provisioning file's plans are checked as call control reads them; each fault names its JSON path.</summary>
public sealed class ProvisioningPlansTests
{
    private static readonly IReadOnlyList<Trunk> Trunks = ConfiguredTrunks();

    private static IReadOnlyList<Trunk> ConfiguredTrunks()
    {
        const string config = """
            {
              "Sip": { "Listen": [ "udp:0.0.0.0:5060" ] },
              "Trunks": [
                { "Name": "carrier", "Allow": ["127.0.0.1/32"] },
                { "Name": "office", "Outbound": { "Uri": "sip:10.0.0.5:5080", "OptionsIntervalSeconds": 0 } }
              ]
            }
            """;
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(config))).Build();
        var result = new EngineSettingsValidator(AppContext.BaseDirectory).Validate(configuration);
        Assert.True(result.IsValid, string.Join("\n", result.Faults));
        return result.Settings!.Trunks;
    }

    private static ProvisioningDocument Parse(string plans, string timeZone = "UTC")
    {
        var json = $$"""
            { "Organisations": [ { "Name": "Other" }, { "Name": "Acme", "TimeZone": "{{timeZone}}", "Plans": [ {{plans}} ] } ] }
            """;
        Assert.True(ProvisioningParser.TryParse(json, out var document, out var errors), string.Join("; ", errors));
        return document!;
    }

    [Fact]
    public void A_valid_plan_has_no_errors()
    {
        var document = Parse("""
            { "Name": "main", "Announcement": "none", "ForwardMode": "simultaneous", "MaxCallMinutes": 30,
              "Forward": [ { "To": "+15559870001", "Trunk": "office", "RingSeconds": 15 }, { "To": "sip:desk@10.0.0.9" } ],
              "Voicemail": true,
              "BusinessHours": { "Schedule": { "mon": "09:00-17:00" }, "Outside": { "Voicemail": true } } }
            """, "America/New_York");

        Assert.Empty(ProvisioningPlans.Validate(document, Trunks));
    }

    [Fact]
    public void Business_hours_default_to_the_stored_zone_or_utc_when_the_file_names_none()
    {
        const string json = """
            { "Organisations": [ { "Name": "Acme", "Plans": [ { "Name": "p", "BusinessHours": { "Schedule": { "mon": "08:00-18:00" } } } ] } ] }
            """;
        Assert.True(ProvisioningParser.TryParse(json, out var document, out _));
        Assert.Null(document!.Organisations[0].TimeZone);

        Assert.Empty(ProvisioningPlans.Validate(document, Trunks));
        Assert.Empty(ProvisioningPlans.Validate(document, Trunks, new Dictionary<string, string> { ["Acme"] = "Europe/London" }));
    }

    [Fact]
    public void An_unknown_trunk_is_an_error_at_the_forward_targets_path()
    {
        var document = Parse("""{ "Name": "main" }, { "Name": "second", "Forward": [ { "To": "+15559870001", "Trunk": "offce" } ] }""");

        var error = Assert.Single(ProvisioningPlans.Validate(document, Trunks));
        Assert.Equal("$.Organisations[1].Plans[1].Forward[0].Trunk", error.Path);
        Assert.StartsWith("trunk \"offce\" is not defined", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_shape_call_control_would_ignore_is_an_error()
    {
        var document = Parse("""{ "Name": "main", "Ring": [ "+15550000001" ], "TimeoutSeconds": 20 }""");

        var errors = ProvisioningPlans.Validate(document, Trunks);
        Assert.Equal(["$.Organisations[1].Plans[0].Ring", "$.Organisations[1].Plans[0].TimeoutSeconds"], errors.Select(e => e.Path).Order(StringComparer.Ordinal));
        Assert.All(errors, e => Assert.StartsWith("unknown key (expected one of Announcement, Forward", e.Message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{ "Name": "p", "MaxCallMinutes": "long" }""", "$.Organisations[1].Plans[0].MaxCallMinutes")]
    [InlineData("""{ "Name": "p", "ForwardMode": "random" }""", "$.Organisations[1].Plans[0].ForwardMode")]
    [InlineData("""{ "Name": "p", "Forward": [ { "To": "+15559870001", "Trunk": "carrier" } ] }""", "$.Organisations[1].Plans[0].Forward[0].Trunk")]
    [InlineData("""{ "Name": "p", "Forward": [ { "To": "sip:a@b", "RingSeconds": 0 } ] }""", "$.Organisations[1].Plans[0].Forward[0].RingSeconds")]
    [InlineData("""{ "Name": "p", "BusinessHours": { "Schedule": { "mon": "nine to five" } } }""", "$.Organisations[1].Plans[0].BusinessHours.Schedule.mon")]
    [InlineData("""{ "Name": "p", "BusinessHours": { "Outside": { "Foward": [ { "To": "sip:a@b" } ] } } }""", "$.Organisations[1].Plans[0].BusinessHours.Outside.Foward")]
    public void Each_fault_names_its_json_path(string plan, string path)
    {
        var errors = ProvisioningPlans.Validate(Parse(plan), Trunks);

        Assert.Contains(errors, e => e.Path == path);
    }

    [Theory]
    [InlineData("definition", "Plan", "definition")]
    [InlineData("definition", "Plan:Forward:0:Trunk", "definition.Forward[0].Trunk")]
    [InlineData("$.Organisations[0].Plans[2]", "Plan:BusinessHours:Outside:Forward:10:To", "$.Organisations[0].Plans[2].BusinessHours.Outside.Forward[10].To")]
    public void Fault_keys_become_json_paths(string root, string key, string path)
    {
        Assert.Equal(path, ProvisioningPlans.MemberPath(root, key));
    }
}
