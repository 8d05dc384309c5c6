using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using CallTracking.Engine.Sip.Transport;
using CallTracking.Engine.Sip.Trunks;

namespace CallTracking.Engine.Configuration;

public sealed partial class EngineSettingsValidator
{
    private const int MinimumOptionsIntervalSeconds = 15;
    private const int MaximumOptionsIntervalSeconds = 30;

    private static IReadOnlyList<Trunk> ValidateTrunks(IList<TrunkOptions> trunks, List<ConfigurationFault> faults)
    {
        var result = new List<Trunk>();
        var names = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < trunks.Count; i++)
        {
            var trunk = trunks[i];
            var key = Key("Trunks", i);
            var name = trunk.Name?.Trim();
            var ok = true;
            if (string.IsNullOrEmpty(name))
            {
                faults.Add(new(key + ":Name", "is empty; every trunk needs a name"));
                ok = false;
            }
            else if (!names.TryAdd(name, i))
            {
                faults.Add(new(key + ":Name", $"\"{name}\" duplicates {Key("Trunks", names[name])}"));
                ok = false;
            }

            var preset = EmptyAsNull(trunk.Preset)?.ToLowerInvariant();
            var networks = new List<IPNetwork>();
            if (preset is not null)
            {
                if (TrunkPresets.TryGetNetworks(preset, out var presetNetworks))
                {
                    networks.AddRange(presetNetworks);
                }
                else
                {
                    faults.Add(new(key + ":Preset", $"\"{trunk.Preset}\" is not a preset (known: {string.Join(", ", TrunkPresets.Names)})"));
                    ok = false;
                }
            }

            var allowKey = key + ":Allow";
            if (trunk.Allow.Count == 0 && preset is null && trunk.Outbound is null)
            {
                faults.Add(new(allowKey, "is empty; a trunk needs at least one CIDR block to admit anything"));
                ok = false;
            }

            for (var j = 0; j < trunk.Allow.Count; j++)
            {
                if (CidrBlock.TryParse(trunk.Allow[j], out var network, out var error))
                {
                    networks.Add(network);
                }
                else
                {
                    faults.Add(new(Key(allowKey, j), $"\"{trunk.Allow[j]}\" is not a CIDR block: {error}"));
                    ok = false;
                }
            }

            TrunkCredentials? inbound = null;
            if (trunk.Inbound is not null)
            {
                // Without Allow, Preset or Outbound the empty Allow fault above already says it.
                if (trunk.Allow.Count == 0 && preset is null && trunk.Outbound is not null)
                {
                    faults.Add(new(key + ":Inbound", "needs Allow or Preset: credentials are checked only for sources a trunk admits"));
                    ok = false;
                }

                inbound = ValidateCredentials(key + ":Inbound", trunk.Inbound.Username, trunk.Inbound.Password, trunk.Inbound.Realm, required: true, faults);
                ok &= inbound is not null;
            }

            OutboundTrunkSettings? outbound = null;
            if (trunk.Outbound is not null)
            {
                outbound = ValidateOutbound(key + ":Outbound", trunk.Outbound, preset, faults);
                ok &= outbound is not null;
            }

            if (ok)
            {
                result.Add(new Trunk(name!, networks.AsReadOnly(), inbound, outbound, preset));
            }
        }

        return result.AsReadOnly();
    }

    private static TrunkCredentials? ValidateCredentials(string key, string? username, string? password, string? realm, bool required, List<ConfigurationFault> faults)
    {
        var ok = true;
        if (string.IsNullOrEmpty(username))
        {
            if (required || !string.IsNullOrEmpty(password))
            {
                faults.Add(new(key + ":Username", "is empty"));
            }

            ok = false;
        }
        else if (!IsQuotable(username))
        {
            // RFC 3261 §25.1 quoted-string: the value goes between quotes in Authorization headers.
            faults.Add(new(key + ":Username", "contains a quote, backslash or control character"));
            ok = false;
        }

        if (string.IsNullOrEmpty(password))
        {
            if (required || !string.IsNullOrEmpty(username))
            {
                faults.Add(new(key + ":Password", "is empty"));
            }

            ok = false;
        }

        var realmValue = EmptyAsNull(realm) ?? TrunkCredentials.DefaultRealm;
        if (!IsQuotable(realmValue))
        {
            faults.Add(new(key + ":Realm", "contains a quote, backslash or control character"));
            ok = false;
        }

        return ok ? new TrunkCredentials(username!, password!, realmValue) : null;
    }

    private static OutboundTrunkSettings? ValidateOutbound(string key, TrunkOutboundOptions outbound, string? preset, List<ConfigurationFault> faults)
    {
        var ok = true;
        string? host = null;
        int? port = null;
        var uri = EmptyAsNull(outbound.Uri);
        if (uri is null)
        {
            faults.Add(new(key + ":Uri", "is empty; expected the carrier's SIP URI, e.g. sip:example.pstn.twilio.com"));
            ok = false;
        }
        else if (!TryParseSipUri(uri, out host, out port, out var error))
        {
            faults.Add(new(key + ":Uri", $"\"{uri}\" is not a SIP URI: {error}"));
            ok = false;
        }
        else if ((preset == TrunkPresets.Twilio || host.EndsWith("twilio.com", StringComparison.OrdinalIgnoreCase)) && !TwilioTermination().IsMatch(host))
        {
            // Twilio identifies the trunk by the host of the Request-URI (its Termination SIP URI).
            faults.Add(new(key + ":Uri", $"\"{uri}\": a Twilio termination URI is sip:<name>.pstn.twilio.com (or <name>.pstn.<edge>.twilio.com)"));
            ok = false;
        }

        var transport = SipTransportKind.Udp;
        if (string.Equals(outbound.Transport?.Trim(), "tcp", StringComparison.OrdinalIgnoreCase))
        {
            transport = SipTransportKind.Tcp;
        }
        else if (!string.Equals(outbound.Transport?.Trim(), "udp", StringComparison.OrdinalIgnoreCase))
        {
            faults.Add(new(key + ":Transport", $"\"{outbound.Transport}\" is not a transport: use \"udp\" or \"tcp\""));
            ok = false;
        }

        var callerId = CallerIdMode.Caller;
        if (string.Equals(outbound.CallerId?.Trim(), "tracking-number", StringComparison.OrdinalIgnoreCase))
        {
            callerId = CallerIdMode.TrackingNumber;
        }
        else if (!string.Equals(outbound.CallerId?.Trim(), "caller", StringComparison.OrdinalIgnoreCase))
        {
            faults.Add(new(key + ":CallerId", $"\"{outbound.CallerId}\" is not a caller-ID mode: use \"caller\" or \"tracking-number\""));
            ok = false;
        }

        var header = EmptyAsNull(outbound.TrackingNumberHeader) ?? "Diversion";
        if (!IsToken(header))
        {
            faults.Add(new(key + ":TrackingNumberHeader", $"\"{header}\" is not a header name (RFC 3261 §25.1 token, e.g. X-Tracking-Number)"));
            ok = false;
        }

        // 0 turns the pings off (a carrier that refuses OPTIONS; a test peer that must see only its call).
        if (outbound.OptionsIntervalSeconds is not 0 and (< MinimumOptionsIntervalSeconds or > MaximumOptionsIntervalSeconds))
        {
            faults.Add(new(key + ":OptionsIntervalSeconds", Invariant($"{outbound.OptionsIntervalSeconds} is outside {MinimumOptionsIntervalSeconds}-{MaximumOptionsIntervalSeconds}")));
            ok = false;
        }

        TrunkCredentials? credentials = null;
        if (!string.IsNullOrEmpty(outbound.Username) || !string.IsNullOrEmpty(outbound.Password))
        {
            credentials = ValidateCredentials(key, outbound.Username, outbound.Password, realm: null, required: false, faults);
            ok &= credentials is not null;
        }

        return ok
            ? new OutboundTrunkSettings(uri!, host!, port, credentials, transport, callerId, header, TimeSpan.FromSeconds(outbound.OptionsIntervalSeconds))
            : null;
    }

    /// <summary>Parses <c>sip:[user@]host[:port][;params]</c> far enough to know where to send.</summary>
    internal static bool TryParseSipUri(string text, out string host, out int? port, out string? error)
    {
        host = string.Empty;
        port = null;
        if (text.StartsWith("sips:", StringComparison.OrdinalIgnoreCase))
        {
            error = "sips: (TLS) arrives in a later release";
            return false;
        }

        if (!text.StartsWith("sip:", StringComparison.OrdinalIgnoreCase))
        {
            error = "expected sip:host, e.g. sip:example.pstn.twilio.com";
            return false;
        }

        var rest = text.AsSpan(4);
        var end = rest.IndexOfAny(";?");
        if (end >= 0)
        {
            rest = rest[..end];
        }

        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            rest = rest[(at + 1)..];
        }

        ReadOnlySpan<char> portText = default;
        if (rest.StartsWith("["))
        {
            var close = rest.IndexOf(']');
            if (close < 0)
            {
                error = "unclosed [ in an IPv6 host";
                return false;
            }

            portText = rest[(close + 1)..];
            rest = rest[1..close];
            if (!portText.IsEmpty && portText[0] != ':')
            {
                error = "unexpected text after the host";
                return false;
            }

            portText = portText.IsEmpty ? default : portText[1..];
        }
        else if (rest.LastIndexOf(':') is var colon and >= 0)
        {
            portText = rest[(colon + 1)..];
            rest = rest[..colon];
            if (portText.IsEmpty)
            {
                error = "empty port";
                return false;
            }
        }

        if (rest.IsEmpty || !(AddressSyntax.TryParseIp(rest, out _) || AddressSyntax.IsHostName(rest)))
        {
            error = $"\"{rest}\" is neither an IP address nor a host name";
            return false;
        }

        if (!portText.IsEmpty)
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value is < 1 or > 65535)
            {
                error = $"\"{portText}\" is not a port (1-65535)";
                return false;
            }

            port = value;
        }

        host = rest.ToString();
        error = null;
        return true;
    }

    private static bool IsQuotable(string value) =>
        !value.Any(c => c is '"' or '\\' || char.IsControl(c));

    // RFC 3261 §25.1: token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
    private static bool IsToken(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || "-.!%*_+`'~".Contains(c, StringComparison.Ordinal));

    [GeneratedRegex(@"^[a-z0-9]([a-z0-9-]*[a-z0-9])?\.pstn(\.[a-z0-9-]+)?\.twilio\.com$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TwilioTermination();
}
