namespace CallTracking.IntegrationTests.Infrastructure;

/// <summary>Engine configurations the integration tests share. Every listener binds 127.0.0.1.</summary>
public static class EngineConfigs
{
    public const string TrackedNumber = "+15551230001";

    /// <summary>
    /// SIP on udp+tcp 127.0.0.1:<paramref name="sipPort"/>, media on 127.0.0.1, one trunk
    /// "carrier" that admits 127.0.0.1/32 only, one tracking number (+15551230001, "Google Ads").
    /// </summary>
    public static object Standard(int sipPort) => new
    {
        Sip = new
        {
            Listen = new[] { $"udp:127.0.0.1:{sipPort}", $"tcp:127.0.0.1:{sipPort}" },
        },
        Media = new { Address = "127.0.0.1" },
        Trunks = new[] { new { Name = "carrier", Allow = new[] { "127.0.0.1/32" } } },
        // No recording notice: these tests compare what the engine sends and records with silence. The notice and
        // the rest of a routing plan are tested with their own configurations (Calls/CallControlTests).
        Numbers = new[] { new { Number = TrackedNumber, Name = "Google Ads", Plan = new { Announcement = "none" } } },

        // These tests examine the Ogg Opus file on disk (pages, flushes, a crash's leftovers): recordings are written
        // in the clear here. Encryption at rest is tested with it on (Privacy/EncryptionAtRestTests).
        Security = new { EncryptRecordings = false },
    };
}
