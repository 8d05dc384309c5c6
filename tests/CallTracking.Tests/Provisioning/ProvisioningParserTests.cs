using CallTracking.Engine.Provisioning;

namespace CallTracking.Tests.Provisioning;

public sealed class ProvisioningParserTests
{
    [Fact]
    public void A_full_file_is_read_with_defaults_and_plans_kept_as_written()
    {
        var ok = ProvisioningParser.TryParse("""
            {
              // comments are allowed
              "organisations": [
                { "Name": "Acme", "Parent": "Agency",
                  "Plans": [ { "Name": "main", "Forward": [ { "To": "+15550000001", "Trunk": "office", "RingSeconds": 20 } ] } ],
                  "Campaigns": [ { "Name": "Google Ads", "Plan": "main" } ],
                  "Numbers": [ { "Number": "+15551230001", "Campaign": "Google Ads" } ] },
                { "Name": "Agency", "TimeZone": "America/New_York" }
              ],
              "Trunks": [ { "Name": "twilio", "Organisation": "Agency", "Allow": [] } ]
            }
            """, out var document, out var errors);

        Assert.True(ok, string.Join("; ", errors));
        var acme = document!.Organisations[0];
        Assert.Null(acme.TimeZone); // not given: kept as it is in the database (UTC when new)
        Assert.Equal("Agency", acme.Parent);
        Assert.Contains("\"RingSeconds\": 20", acme.Plans[0].DefinitionJson, StringComparison.Ordinal);
        Assert.Equal("Google Ads", acme.Numbers[0].Campaign);
        Assert.Null(acme.Numbers[0].Plan);
        Assert.Equal("America/New_York", document.Organisations[1].TimeZone);
        Assert.Equal("Agency", document.Trunks[0].Organisation);
    }

    [Theory]
    [InlineData("""{ "Organisations": [ { "Name": "A", "Numbers": [ { "Number": "5551234567" } ] } ] }""", "$.Organisations[0].Numbers[0].Number")]
    [InlineData("""{ "Organisations": [ { "Name": "A", "TimeZone": "Mars/Olympus" } ] }""", "$.Organisations[0].TimeZone")]
    [InlineData("""{ "Organisations": [ { "Name": "A", "Campaign": [] } ] }""", "$.Organisations[0].Campaign")]
    [InlineData("""{ "Organisations": [ { "Parent": "X" } ] }""", "$.Organisations[0].Name")]
    [InlineData("""{ "Organisations": [ { "Name": "A" }, { "Name": "A" } ] }""", "$.Organisations[1]")]
    [InlineData("""{ "Organisations": [ { "Name": "A", "Plans": [ [] ] } ] }""", "$.Organisations[0].Plans[0]")]
    [InlineData("""{ "Organisations": [ { "Name": "A", "Parent": "A" } ] }""", "$.Organisations[0].Parent")]
    [InlineData("""{ "Organisations": {} }""", "$.Organisations")]
    [InlineData("""{ "Trunks": [ { "Name": 5 } ] }""", "$.Trunks[0].Name")]
    [InlineData("""{ "Organisations": [ """, "$")]
    [InlineData("""[]""", "$")]
    public void Each_error_names_its_json_path(string json, string path)
    {
        Assert.False(ProvisioningParser.TryParse(json, out var document, out var errors));
        Assert.Null(document);
        Assert.Contains(errors, e => e.Path == path);
    }

    [Fact]
    public void Every_error_is_reported_in_one_pass()
    {
        Assert.False(ProvisioningParser.TryParse("""
            { "Organisations": [ { "Name": "A", "TimeZone": "Nowhere", "Numbers": [ { "Number": "x" }, { "Number": "+15551230001", "Foo": 1 } ] } ] }
            """, out _, out var errors));
        Assert.Equal(3, errors.Count);
    }
}
