using System.Text.Json.Nodes;
using CallTracking.Engine.Tracking.Conversions;

namespace CallTracking.Tests.Tracking.Conversions;

public sealed class ConversionExportTests
{
    private static string Expected(string file) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Tracking", "Conversions", "Expected", file));

    [Fact]
    public void Google_Ads_import_file_matches_the_expected_file_field_by_field()
    {
        AssertCsv(Expected("google_ads_import.csv"), Csv(ConversionFixtures.Google()));
    }

    [Fact]
    public void Microsoft_Ads_import_file_matches_the_expected_file_field_by_field()
    {
        AssertCsv(Expected("microsoft_ads_import.csv"), Csv(ConversionFixtures.Microsoft()));
    }

    [Fact]
    public void Google_Ads_upload_payloads_match_the_expected_file_field_by_field() =>
        AssertPayloads("google_ads_upload.json", ConversionFixtures.Google());

    [Fact]
    public void Ga4_measurement_protocol_events_match_the_expected_file_field_by_field() =>
        AssertPayloads("ga4_events.json", ConversionFixtures.Ga4());

    [Fact]
    public void Meta_conversions_api_events_match_the_expected_file_field_by_field() =>
        AssertPayloads("meta_events.json", ConversionFixtures.Meta());

    [Fact]
    public void Microsoft_Ads_offline_conversions_match_the_expected_file_field_by_field() =>
        AssertPayloads("microsoft_ads_upload.json", ConversionFixtures.Microsoft());

    [Fact]
    public void Import_files_use_crlf_line_ends_and_quote_fields_with_commas()
    {
        var action = ConversionFixtures.Google() with { ConversionName = "Lead, qualified \"A\"" };
        var csv = Csv(action);
        Assert.EndsWith("\r\n", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", csv.Replace("\r\n", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains(",\"Lead, qualified \"\"A\"\"\",", csv, StringComparison.Ordinal);
    }

    [Fact]
    public void A_call_qualifies_only_when_every_rule_holds()
    {
        var action = ConversionFixtures.Google() with { RequiredTag = "sale", MinScore = 3 };
        Assert.True(action.Qualifies(ConversionFixtures.GclidCall));
        Assert.False(action.Qualifies(ConversionFixtures.GclidCall with { Score = 2 }));
        Assert.False(action.Qualifies(ConversionFixtures.GclidCall with { Tags = ["spam"] }));
        Assert.False(action.Qualifies(ConversionFixtures.GclidCall with { TalkSeconds = 29 }));
        Assert.False(action.Qualifies(ConversionFixtures.GclidCall with { EndedAt = null }));
    }

    private static string Csv(ConversionAction action)
    {
        using var writer = new StringWriter();
        ConversionExports.WriteCsv(writer, action, ConversionFixtures.TimeZone, ConversionFixtures.All);
        return writer.ToString();
    }

    private static void AssertCsv(string expected, string actual)
    {
        var expectedRows = expected.Split("\r\n").Select(r => r.Split(',')).ToList();
        var actualRows = actual.Split("\r\n").Select(r => r.Split(',')).ToList();
        Assert.True(expectedRows.Count == actualRows.Count, $"{expectedRows.Count - 1} rows expected, got {actualRows.Count - 1}:\n{actual}");
        for (var row = 0; row < expectedRows.Count; row++)
        {
            Assert.True(expectedRows[row].Length == actualRows[row].Length, $"row {row + 1}: {expectedRows[row].Length} fields expected, got {actualRows[row].Length}");
            for (var field = 0; field < expectedRows[row].Length; field++)
            {
                var column = row <= 1 ? $"field {field + 1}" : expectedRows[1][field];
                Assert.True(expectedRows[row][field] == actualRows[row][field], $"row {row + 1}, {column}: expected \"{expectedRows[row][field]}\", got \"{actualRows[row][field]}\"");
            }
        }
    }

    /// <summary>Every call of the fixture the action qualifies for (the short call never does), in order, against the expected file's entries.</summary>
    private static void AssertPayloads(string file, ConversionAction action)
    {
        var expected = JsonNode.Parse(Expected(file))!.AsArray();
        var built = ConversionFixtures.All.Where(action.Qualifies).Select(call => (call, request: ConversionRequests.Build(action, call))).ToList();
        Assert.Equal(expected.Count, built.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var entry = expected[i]!;
            var (call, request) = built[i];
            Assert.Equal((string)entry["call"]!, call.CallId.ToString());
            if (entry["not_sent"] is { } reason)
            {
                Assert.Null(request.Body);
                Assert.Equal((string)reason!, request.NotSent);
            }
            else
            {
                Assert.Null(request.NotSent);
                JsonFields.AssertSame(entry["body"], JsonNode.Parse(request.Body!), $"{file}[{i}].body");
            }
        }
    }
}
