using System.Net;

namespace CallTracking.Engine.Sip.Trunks;

/// <summary>Named carrier presets a trunk may take (<c>Trunks:N:Preset</c>).</summary>
public static class TrunkPresets
{
    public const string Twilio = "twilio";

    /// <summary>The names accepted, for error messages.</summary>
    public static IReadOnlyList<string> Names { get; } = [Twilio];

    /// <summary>The networks a preset adds to the trunk's allow-list; false for an unknown preset.</summary>
    public static bool TryGetNetworks(string preset, out IReadOnlyList<IPNetwork> networks)
    {
        if (string.Equals(preset, Twilio, StringComparison.OrdinalIgnoreCase))
        {
            networks = TwilioSignallingRanges.All;
            return true;
        }

        networks = [];
        return false;
    }
}
