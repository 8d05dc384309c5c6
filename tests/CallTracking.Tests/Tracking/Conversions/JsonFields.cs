using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CallTracking.Tests.Tracking.Conversions;

/// <summary>Compares two JSON documents field by field, naming the path of the first difference.</summary>
internal static class JsonFields
{
    public static void AssertSame(JsonNode? expected, JsonNode? actual, string path = "$")
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{path}: expected {expected?.ToJsonString() ?? "null"}, got {actual?.ToJsonString() ?? "null"}");
            return;
        }

        switch (expected)
        {
            case JsonObject expectedObject:
                var actualObject = Assert.IsType<JsonObject>(actual, exactMatch: false);
                Assert.True(
                    expectedObject.Select(p => p.Key).Order(StringComparer.Ordinal).SequenceEqual(actualObject.Select(p => p.Key).Order(StringComparer.Ordinal)),
                    $"{path}: fields [{string.Join(", ", expectedObject.Select(p => p.Key))}] expected, got [{string.Join(", ", actualObject.Select(p => p.Key))}]");
                foreach (var (name, value) in expectedObject)
                {
                    AssertSame(value, actualObject[name], $"{path}.{name}");
                }

                break;
            case JsonArray expectedArray:
                var actualArray = Assert.IsType<JsonArray>(actual, exactMatch: false);
                Assert.True(expectedArray.Count == actualArray.Count, $"{path}: {expectedArray.Count} items expected, got {actualArray.Count}");
                for (var i = 0; i < expectedArray.Count; i++)
                {
                    AssertSame(expectedArray[i], actualArray[i], $"{path}[{i}]");
                }

                break;
            default:
                var e = expected.AsValue();
                var a = actual.AsValue();
                Assert.True(e.GetValueKind() == a.GetValueKind(), $"{path}: a {e.GetValueKind()} expected, got {a.GetValueKind()} ({a.ToJsonString()})");
                if (e.GetValueKind() == JsonValueKind.Number)
                {
                    Assert.True(
                        decimal.Parse(e.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture) == decimal.Parse(a.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture),
                        $"{path}: expected {e.ToJsonString()}, got {a.ToJsonString()}");
                }
                else
                {
                    Assert.True(e.ToJsonString() == a.ToJsonString(), $"{path}: expected {e.ToJsonString()}, got {a.ToJsonString()}");
                }

                break;
        }
    }
}
