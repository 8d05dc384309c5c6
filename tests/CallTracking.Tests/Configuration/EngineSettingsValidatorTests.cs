using CallTracking.Engine.Configuration;
using CallTracking.Engine.Sip.Transport;
using Microsoft.Extensions.Configuration;

namespace CallTracking.Tests.Configuration;

public sealed class EngineSettingsValidatorTests
{
    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["Sip:Listen:0"] = "udp:0.0.0.0:5060",
        ["Sip:Listen:1"] = "tcp:[::]:5060",
        ["Trunks:0:Name"] = "twilio",
        ["Trunks:0:Allow:0"] = "54.172.60.0/30",
        ["Trunks:0:Allow:1"] = "127.0.0.1",
        ["Numbers:0:Number"] = "+15551230001",
        ["Numbers:0:Name"] = "Google Ads",
    };

    private static SettingsValidationResult Validate(params (string Key, string? Value)[] changes)
    {
        var values = new Dictionary<string, string?>(Valid);
        foreach (var (key, value) in changes)
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return new EngineSettingsValidator("/srv/ct").Validate(configuration);
    }

    private static string Faults(SettingsValidationResult result) => string.Join("\n", result.Faults);

    [Fact]
    public void Valid_configuration_becomes_settings()
    {
        var result = Validate();
        Assert.True(result.IsValid, Faults(result));
        var settings = result.Settings!;
        Assert.Equal(["udp:0.0.0.0:5060", "tcp:[::]:5060"], settings.Sip.Listen.Select(e => e.ToString()));
        Assert.Equal(SipTransportKind.Tcp, settings.Sip.Listen[1].Transport);
        Assert.Equal(TimeSpan.FromMilliseconds(500), settings.Sip.Timers.T1);
        Assert.Equal(20000, settings.Media.PortRange.Start);
        Assert.Equal("twilio", settings.Trunks[0].Name);
        Assert.Equal(32, settings.Trunks[0].Allow[1].PrefixLength);
        Assert.Equal("+15551230001", settings.Numbers[0].E164);
        Assert.Equal("/srv/ct/data", settings.DataPath);
    }

    [Fact]
    public void Every_fault_is_reported_at_once_with_its_key()
    {
        var result = Validate(
            ("Sip:Listen:1", "tcp:0.0.0.0:99999"),
            ("Sip:Listen:2", "tls:0.0.0.0:5061"),
            ("Trunks:0:Allow:1", "54.172.60.0/33"),
            ("Trunks:1:Name", "TWILIO"),
            ("Trunks:1:Allow:0", "54.172.60.1/30"),
            ("Trunks:2:Name", ""),
            ("Trunks:2:Allow:0", "10.0.0.0/8"),
            ("Numbers:1:Number", "+15551230002"),
            ("Numbers:2:Number", "5551230001"),
            ("Numbers:3:Number", "+15551230001"),
            ("Media:PortRange", "20001-29999"),
            ("Media:Address", "not an address!"),
            ("Sip:PublicAddress", "0.0.0.0"),
            ("Sip:Timers:T1Ms", "5000"),
            ("Sip:Timers:T4Ms", "0"),
            ("Sip:MinSESeconds", "60"),
            ("Sip:Timers:T2", "x"),
            ("Sip:SessionExpiresSeconds", "soon"));

        Assert.False(result.IsValid);
        var faults = result.Faults.Select(f => f.ToString()).ToList();
        string[] expected =
        [
            "Sip:Listen:1: \"tcp:0.0.0.0:99999\" is not a valid endpoint: port must be 0-65535",
            "Sip:Listen:2: \"tls:0.0.0.0:5061\": TLS arrives in a later release",
            "Trunks:0:Allow:1: \"54.172.60.0/33\" is not a CIDR block: prefix length must be 0-32 for IPv4",
            "Trunks:1:Name: \"TWILIO\" duplicates Trunks:0",
            "Trunks:1:Allow:0: \"54.172.60.1/30\" is not a CIDR block: host bits set; did you mean 54.172.60.0/30?",
            "Trunks:2:Name: is empty; every trunk needs a name",
            "Numbers:2:Number: \"5551230001\" is not E.164 (expected + followed by 8 to 15 digits)",
            "Numbers:3:Number: \"+15551230001\" duplicates Numbers:0",
            "Media:PortRange: \"20001-29999\" is not a valid port range: start must be even (RTP takes even ports, RTCP the odd port above)",
            "Media:Address: \"not an address!\" is neither an IP address nor a host name",
            "Sip:Timers:T1Ms: 5000 is above Sip:Timers:T2Ms (4000); T1 must not exceed T2",
            "Sip:Timers:T4Ms: 0 must be above 0",
            "Sip:MinSESeconds: 60 is below 90 (RFC 4028 §4)",
            "Sip:Timers:T2: unknown key (expected one of T1Ms, T2Ms, T4Ms)",
            "Sip:SessionExpiresSeconds: \"soon\" is not a whole number",
        ];
        foreach (var fault in expected)
        {
            Assert.Contains(fault, faults);
        }

        Assert.Contains(faults, f => f.StartsWith("Sip:PublicAddress: \"0.0.0.0\" is the unspecified address", StringComparison.Ordinal));
        Assert.Equal(expected.Length + 1, faults.Count);
    }

    [Theory]
    [InlineData(null, -10, null)]
    [InlineData("0", 0, null)]
    [InlineData("-20", -20, null)]
    [InlineData("19", 19, null)]
    [InlineData("-21", 0, "Media:WorkerNice: -21 is outside -20-19")]
    [InlineData("20", 0, "Media:WorkerNice: 20 is outside -20-19")]
    public void Media_worker_nice_defaults_to_minus_ten_and_must_be_a_linux_nice_value(string? text, int expected, string? fault)
    {
        var result = text is null ? Validate() : Validate(("Media:WorkerNice", text));
        if (fault is null)
        {
            Assert.True(result.IsValid, Faults(result));
            Assert.Equal(expected, result.Settings!.Media.WorkerNice);
        }
        else
        {
            Assert.False(result.IsValid);
            Assert.Contains(result.Faults, f => f.ToString().StartsWith(fault, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("udp:0.0.0.0:5060", "udp:0.0.0.0:5060")]
    [InlineData("TCP:[::]:5060", "tcp:[::]:5060")]
    [InlineData("tcp:127.0.0.1:0", "tcp:127.0.0.1:0")]
    public void Listen_endpoints_parse(string text, string expected)
    {
        Assert.True(SipListenEndpoint.TryParse(text, out var endpoint, out var error), error);
        Assert.Equal(expected, endpoint.ToString());
    }

    [Theory]
    [InlineData("sctp:0.0.0.0:5060", "transport")]
    [InlineData("udp:0.0.0.0", "address")]
    [InlineData("udp:::5060", "brackets")]
    [InlineData("udp:10.1:5060", "IP address")]
    [InlineData("udp:host.example:5060", "IP address")]
    [InlineData("udp:0.0.0.0:-1", "port")]
    public void Bad_listen_endpoints_say_why(string text, string expected)
    {
        Assert.False(SipListenEndpoint.TryParse(text, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("calltracking.sip.example.com", true)]
    [InlineData("203.0.113.7", true)]
    [InlineData("2001:db8::1", true)]
    [InlineData("300.1.1.1", false)]
    [InlineData("-bad.example", false)]
    [InlineData("a b", false)]
    public void Public_address_is_an_ip_or_host_name(string address, bool valid)
    {
        var result = Validate(("Sip:PublicAddress", address));
        Assert.Equal(valid, result.IsValid);
    }

    [Fact]
    public void A_list_written_as_a_single_value_is_a_fault_not_an_exception()
    {
        var values = new Dictionary<string, string?>(Valid);
        values.Remove("Sip:Listen:0");
        values.Remove("Sip:Listen:1");
        values["Sip:Listen"] = "udp:0.0.0.0:5060";
        var result = new EngineSettingsValidator("/").Validate(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        Assert.Contains("Sip:Listen: expected a list, found a single value", result.Faults.Select(f => f.ToString()));
    }
}
