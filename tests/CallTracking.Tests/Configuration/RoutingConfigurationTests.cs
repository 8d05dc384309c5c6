using System.Text;
using CallTracking.Engine.Configuration;
using CallTracking.Engine.Sip.Transport;
using CallTracking.Engine.Sip.Trunks;
using Microsoft.Extensions.Configuration;

namespace CallTracking.Tests.Configuration;

/// <summary>Trunks, numbers and their plans as a self-hoster writes them (issue #4).</summary>
public sealed class RoutingConfigurationTests : IDisposable
{
    private const string IssueExample = """
        {
          "Sip": { "Listen": [ "udp:0.0.0.0:5060" ] },
          "Trunks": [
            { "Name": "twilio", "Preset": "twilio", "Allow": ["127.0.0.1/32"] },
            { "Name": "office", "Outbound": { "Uri": "sip:office.pstn.twilio.com", "Username": "u", "Password": "p" } }
          ],
          "Numbers": [
            { "Number": "+15551230001", "Organisation": "Acme Plumbing", "Campaign": "Google Ads",
              "Plan": { "Announcement": "default",
                        "Forward": [ { "To": "+15559870001", "Trunk": "office", "RingSeconds": 20 } ],
                        "Whisper": "Call from Google Ads", "Voicemail": true } }
          ]
        }
        """;

    private readonly TempConfigFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private SettingsValidationResult ValidateJson(string json)
    {
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
        return new EngineSettingsValidator(_folder.Path).Validate(configuration);
    }

    private SettingsValidationResult Validate(params (string Key, string? Value)[] values)
    {
        var all = new Dictionary<string, string?> { ["Sip:Listen:0"] = "udp:0.0.0.0:5060" };
        foreach (var (key, value) in values)
        {
            all[key] = value;
        }

        return new EngineSettingsValidator(_folder.Path).Validate(new ConfigurationBuilder().AddInMemoryCollection(all).Build());
    }

    private static string Faults(SettingsValidationResult result) => string.Join("\n", result.Faults);

    [Fact]
    public void Issue_example_becomes_settings()
    {
        var result = ValidateJson(IssueExample);

        Assert.True(result.IsValid, Faults(result));
        var settings = result.Settings!;
        var twilio = settings.Trunks[0];
        Assert.Equal("twilio", twilio.Preset);
        Assert.Equal(TwilioSignallingRanges.All.Count + 1, twilio.Allow.Count);
        Assert.Null(twilio.Outbound);

        var office = settings.Trunks[1];
        Assert.Empty(office.Allow);
        Assert.NotNull(office.Outbound);
        Assert.Equal("office.pstn.twilio.com", office.Outbound.Host);
        Assert.Null(office.Outbound.Port);
        Assert.Equal(SipTransportKind.Udp, office.Outbound.Transport);
        Assert.Equal(CallerIdMode.Caller, office.Outbound.CallerId);
        Assert.True(office.Outbound.UsesDiversion);
        Assert.Equal(TimeSpan.FromSeconds(20), office.Outbound.OptionsInterval);
        Assert.Equal("u", office.Outbound.Credentials!.Username);

        var number = Assert.Single(settings.Numbers);
        Assert.Equal("Acme Plumbing", number.Organisation);
        Assert.Equal("Google Ads", number.Campaign);
        Assert.Equal("Google Ads", number.Name);
        var plan = number.Plan;
        Assert.Equal(Prompt.Default, plan.Announcement);
        var target = Assert.Single(plan.Forward);
        Assert.Equal("+15559870001", target.To);
        Assert.False(target.IsSipUri);
        Assert.Same(office, target.Trunk);
        Assert.Equal(TimeSpan.FromSeconds(20), target.Ring);
        Assert.Equal(ForwardMode.Sequential, plan.ForwardMode);
        Assert.Equal(new Prompt(PromptKind.Text, "Call from Google Ads"), plan.Whisper);
        Assert.NotNull(plan.Voicemail);
        Assert.Equal(TimeSpan.FromSeconds(120), plan.Voicemail.MaxDuration);
        Assert.Equal(TimeSpan.FromMinutes(120), plan.MaxCallDuration);

        var organisation = Assert.Single(settings.Organisations);
        Assert.Equal("Acme Plumbing", organisation.Name);
        Assert.True(organisation.IsImplicit);
    }

    [Fact]
    public void Voicemail_section_and_false_are_both_read()
    {
        var section = Validate(
            ("Numbers:0:Number", "+15551230001"),
            ("Numbers:0:Plan:Voicemail:Greeting", "Leave a message"),
            ("Numbers:0:Plan:Voicemail:MaxSeconds", "60"));
        Assert.True(section.IsValid, Faults(section));
        var voicemail = section.Settings!.Numbers[0].Plan.Voicemail!;
        Assert.Equal(new Prompt(PromptKind.Text, "Leave a message"), voicemail.Greeting);
        Assert.Equal(TimeSpan.FromSeconds(60), voicemail.MaxDuration);

        var off = Validate(("Numbers:0:Number", "+15551230001"), ("Numbers:0:Plan:Voicemail", "false"));
        Assert.True(off.IsValid, Faults(off));
        Assert.Null(off.Settings!.Numbers[0].Plan.Voicemail);

        var bad = Validate(("Numbers:0:Number", "+15551230001"), ("Numbers:0:Plan:Voicemail", "maybe"));
        Assert.Contains("Numbers:0:Plan:Voicemail: \"maybe\" is neither true, false nor a section with Enabled, Greeting, MaxSeconds", Faults(bad));
    }

    [Fact]
    public void Every_fault_names_its_key_and_problem()
    {
        var result = Validate(
            ("Trunks:0:Name", "twilio"),
            ("Trunks:0:Preset", "twillio"),
            ("Trunks:1:Name", "office"),
            ("Trunks:1:Outbound:Uri", "sip:office.twilio.com"),
            ("Trunks:1:Outbound:Transport", "sctp"),
            ("Trunks:1:Outbound:CallerId", "anonymous"),
            ("Trunks:1:Outbound:TrackingNumberHeader", "X Tracking"),
            ("Trunks:1:Outbound:OptionsIntervalSeconds", "60"),
            ("Trunks:2:Name", "plain"),
            ("Trunks:2:Allow:0", "10.0.0.0/8"),
            ("Trunks:3:Name", "secret"),
            ("Trunks:3:Inbound:Username", "u"),
            ("Trunks:4:Name", "both"),
            ("Trunks:4:Inbound:Username", "u"),
            ("Trunks:4:Inbound:Password", "p"),
            ("Trunks:4:Outbound:Uri", "sip:pbx.example.com"),
            ("Numbers:0:Number", "+15551230001"),
            ("Numbers:0:Plan:Announcement", "loud"),
            ("Numbers:0:Plan:Forward:0:To", "+15559870001"),
            ("Numbers:0:Plan:Forward:0:Trunk", "offce"),
            ("Numbers:0:Plan:Forward:0:RingSeconds", "3"),
            ("Numbers:0:Plan:Forward:1:To", "5559870001"),
            ("Numbers:0:Plan:Forward:2:To", "+15559870002"),
            ("Numbers:0:Plan:Forward:3:To", "+15559870003"),
            ("Numbers:0:Plan:Forward:3:Trunk", "plain"),
            ("Numbers:0:Plan:ForwardMode", "random"),
            ("Numbers:0:Plan:MaxCallMinutes", "0"),
            ("Numbers:0:Plan:BusinessHours:TimeZone", "Mars/Olympus"),
            ("Numbers:1:Number", "+15551230002"),
            ("Numbers:1:Plan:BusinessHours:TimeZone", "Europe/London"),
            ("Numbers:1:Plan:BusinessHours:Schedule:mon", "8-18"),
            ("Numbers:1:Plan:BusinessHours:Schedule:funday", "08:00-18:00"),
            ("Numbers:1:Plan:Whisper", "missing.wav"),
            ("Numbers:2:Number", "+15551230003"),
            ("Numbers:2:Plan:BusinessHours:Schedule:mon", "08:00-18:00"),
            ("Organisations:0:Name", "Agency"),
            ("Organisations:0:Parent", "Nobody"),
            ("Organisations:0:TimeZone", "Nowhere/Town"));

        Assert.False(result.IsValid);
        var faults = result.Faults.Select(f => f.ToString()).ToList();
        var expected = new[]
        {
            "Numbers:1:Plan:BusinessHours:Schedule:funday: unknown key (expected one of sun, mon, tue, wed, thu, fri, sat)",
            "Trunks:0:Preset: \"twillio\" is not a preset (known: twilio)",
            "Trunks:1:Outbound:Uri: \"sip:office.twilio.com\": a Twilio termination URI is sip:<name>.pstn.twilio.com (or <name>.pstn.<edge>.twilio.com)",
            "Trunks:1:Outbound:Transport: \"sctp\" is not a transport: use \"udp\" or \"tcp\"",
            "Trunks:1:Outbound:CallerId: \"anonymous\" is not a caller-ID mode: use \"caller\" or \"tracking-number\"",
            "Trunks:1:Outbound:TrackingNumberHeader: \"X Tracking\" is not a header name (RFC 3261 §25.1 token, e.g. X-Tracking-Number)",
            "Trunks:1:Outbound:OptionsIntervalSeconds: 60 is outside 15-30",
            "Trunks:3:Allow: is empty; a trunk needs at least one CIDR block to admit anything",
            "Trunks:3:Inbound:Password: is empty",
            "Trunks:4:Inbound: needs Allow or Preset: credentials are checked only for sources a trunk admits",
            "Organisations:0:TimeZone: \"Nowhere/Town\" is not a known time zone (use an IANA name such as Europe/London)",
            "Organisations:0:Parent: organisation \"Nobody\" is not defined (defined: Agency)",
            "Numbers:0:Plan:Announcement: \"loud\" is not \"default\", \"none\" or the path of a .wav file",
            "Numbers:0:Plan:Forward:0:Trunk: trunk \"offce\" is not defined (defined: plain)",
            "Numbers:0:Plan:Forward:0:RingSeconds: 3 is outside 5-120",
            "Numbers:0:Plan:Forward:1:To: \"5559870001\" is neither E.164 (+ followed by 8 to 15 digits) nor a SIP URI",
            "Numbers:0:Plan:Forward:2:Trunk: is empty; an E.164 destination leaves through a trunk with Outbound (defined: none)",
            "Numbers:0:Plan:Forward:3:Trunk: trunk \"plain\" has no Outbound section (trunks with one: none)",
            "Numbers:0:Plan:ForwardMode: \"random\" is not a forward mode: use \"sequential\" or \"simultaneous\"",
            "Numbers:0:Plan:MaxCallMinutes: 0 is outside 1-1440",
            "Numbers:0:Plan:BusinessHours:TimeZone: \"Mars/Olympus\" is not a known time zone (use an IANA name such as America/New_York)",
            "Numbers:1:Plan:Whisper: \"missing.wav\": file not found (" + Path.Combine(_folder.Path, "missing.wav") + ")",
            "Numbers:1:Plan:BusinessHours:Schedule:mon: \"8-18\" is not a time range (expected HH:mm-HH:mm, e.g. 08:00-18:00, or \"closed\")",
            "Numbers:2:Plan:BusinessHours:TimeZone: is empty and the number's organisation names none; use an IANA name such as America/New_York",
        };
        Assert.True(expected.SequenceEqual(faults), string.Join("\n", faults));
    }

    [Fact]
    public void Forward_names_the_defined_trunks_when_one_is_misspelt()
    {
        var result = ValidateJson(IssueExample.Replace("\"Trunk\": \"office\"", "\"Trunk\": \"offce\"", StringComparison.Ordinal));

        Assert.Equal(
            "Numbers:0:Plan:Forward:0:Trunk: trunk \"offce\" is not defined (defined: twilio, office)",
            Assert.Single(result.Faults).ToString());
    }

    [Fact]
    public void Sip_uri_destination_needs_no_trunk_and_outbound_options_are_read()
    {
        var wav = _folder.Write("notice.wav", "RIFF");
        var result = Validate(
            ("Trunks:0:Name", "pbx"),
            ("Trunks:0:Outbound:Uri", "sip:pbx.example.com:5080;transport=tcp"),
            ("Trunks:0:Outbound:Transport", "TCP"),
            ("Trunks:0:Outbound:CallerId", "tracking-number"),
            ("Trunks:0:Outbound:TrackingNumberHeader", "X-Tracking-Number"),
            ("Trunks:0:Outbound:OptionsIntervalSeconds", "15"),
            ("Numbers:0:Number", "+442071234567"),
            ("Numbers:0:Plan:Announcement", "notice.wav"),
            ("Numbers:0:Plan:ForwardMode", "simultaneous"),
            ("Numbers:0:Plan:Forward:0:To", "sip:desk@pbx.example.com"),
            ("Numbers:0:Plan:Forward:1:To", "+442079460000"),
            ("Numbers:0:Plan:Forward:1:Trunk", "PBX"),
            ("Numbers:0:Plan:Forward:1:RingSeconds", "120"));

        Assert.True(result.IsValid, Faults(result));
        var outbound = result.Settings!.Trunks[0].Outbound!;
        Assert.Equal(("pbx.example.com", 5080), (outbound.Host, outbound.Port!.Value));
        Assert.Equal(SipTransportKind.Tcp, outbound.Transport);
        Assert.Equal(CallerIdMode.TrackingNumber, outbound.CallerId);
        Assert.False(outbound.UsesDiversion);
        Assert.Null(outbound.Credentials);
        var plan = result.Settings.Numbers[0].Plan;
        Assert.Equal(new Prompt(PromptKind.File, wav), plan.Announcement);
        Assert.Equal(ForwardMode.Simultaneous, plan.ForwardMode);
        Assert.True(plan.Forward[0].IsSipUri);
        Assert.Null(plan.Forward[0].Trunk);
        Assert.Equal("pbx", plan.Forward[1].Trunk!.Name);
    }

    [Fact]
    public void Organisations_with_parents_and_time_zone_default_for_business_hours()
    {
        var result = Validate(
            ("Organisations:0:Name", "Agency"),
            ("Organisations:1:Name", "Acme"),
            ("Organisations:1:Parent", "agency"),
            ("Organisations:1:TimeZone", "America/New_York"),
            ("Numbers:0:Number", "+15551230001"),
            ("Numbers:0:Organisation", "acme"),
            ("Numbers:0:Plan:BusinessHours:Schedule:mon", "09:00-17:00"),
            ("Numbers:0:Plan:BusinessHours:Outside:Announcement", "none"),
            ("Numbers:0:Plan:BusinessHours:Outside:Voicemail", "true"));

        Assert.True(result.IsValid, Faults(result));
        Assert.Equal(2, result.Settings!.Organisations.Count);
        var number = result.Settings.Numbers[0];
        Assert.Equal("Acme", number.Organisation);
        var plan = number.Plan;
        Assert.Equal("America/New_York", plan.BusinessHours!.TimeZone.Id);
        Assert.NotNull(plan.Outside!.Voicemail);

        // Monday 2026-11-30 10:00 in New York is 15:00 UTC; 18:00 there is 23:00 UTC.
        Assert.Same(plan, plan.At(new DateTimeOffset(2026, 11, 30, 15, 0, 0, TimeSpan.Zero)));
        Assert.Same(plan.Outside, plan.At(new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Parent_cycle_is_a_fault()
    {
        var result = Validate(
            ("Organisations:0:Name", "A"),
            ("Organisations:0:Parent", "B"),
            ("Organisations:1:Name", "B"),
            ("Organisations:1:Parent", "A"));

        Assert.Contains("Organisations:0:Parent: \"B\" makes a cycle of parents", Faults(result), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sip:example.pstn.twilio.com", true)]
    [InlineData("sip:example.pstn.ashburn.twilio.com", true)]
    [InlineData("sip:example.twilio.com", false)]
    [InlineData("sip:pstn.twilio.com", false)]
    public void Twilio_termination_uri_shape(string uri, bool valid)
    {
        var result = Validate(("Trunks:0:Name", "t"), ("Trunks:0:Outbound:Uri", uri));
        Assert.True(valid == result.IsValid, Faults(result));
    }

    [Fact]
    public void Preset_twilio_demands_a_twilio_termination_uri()
    {
        var result = Validate(("Trunks:0:Name", "t"), ("Trunks:0:Preset", "twilio"), ("Trunks:0:Outbound:Uri", "sip:sbc.example.com"));
        Assert.Contains("Trunks:0:Outbound:Uri: \"sip:sbc.example.com\": a Twilio termination URI", Faults(result), StringComparison.Ordinal);
    }

    [Fact]
    public void Inbound_digest_credentials_take_a_default_realm()
    {
        var result = Validate(
            ("Trunks:0:Name", "t"),
            ("Trunks:0:Allow:0", "127.0.0.1"),
            ("Trunks:0:Inbound:Username", "u"),
            ("Trunks:0:Inbound:Password", "p"));

        Assert.True(result.IsValid, Faults(result));
        Assert.Equal(new TrunkCredentials("u", "p", "calltracking"), result.Settings!.Trunks[0].Inbound);
    }
}
