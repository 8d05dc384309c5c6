using CallTracking.Engine.Sip.Transactions;
using System.Globalization;
using System.Net;
using CallTracking.Engine.Sip.Transport;
using CallTracking.Engine.Sip.Trunks;
using CallTracking.Engine.Tracking;
using CallTracking.Media.Rtp;
using Microsoft.Extensions.Configuration;

namespace CallTracking.Engine.Configuration;

/// <summary>
/// Turns configuration into <see cref="EngineSettings"/>, collecting every fault
/// rather than stopping at the first, so an operator fixes a file in one pass.
/// Each fault names its key path (<c>Trunks:0:Allow:1</c>) as the operator wrote it.
/// </summary>
public sealed partial class EngineSettingsValidator
{
    // RFC 4028 §4: Min-SE MUST NOT be less than 90 seconds.
    private const int MinimumMinSESeconds = 90;

    // A call that rings longer than five minutes without an answer has been abandoned by every carrier.
    private const int MaximumAnswerDelayMs = 300_000;

    private readonly string _workingDirectory;

    /// <param name="workingDirectory">Base for relative paths such as <c>Data:Path</c>.</param>
    public EngineSettingsValidator(string workingDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(workingDirectory);
        _workingDirectory = workingDirectory;
    }

    public SettingsValidationResult Validate(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var faults = new List<ConfigurationFault>();
        var exclude = ConfigurationShape.Check(configuration, faults);

        // Bind what is well-formed so its values are validated too.
        var bindable = exclude.Count == 0 ? configuration : Without(configuration, exclude);
        var options = new CallTrackingOptions();
        bindable.Bind(options);
        return Validate(options, faults);
    }

    public SettingsValidationResult Validate(CallTrackingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Validate(options, []);
    }

    private SettingsValidationResult Validate(CallTrackingOptions options, List<ConfigurationFault> faults)
    {
        var sip = ValidateSip(options.Sip, faults);
        var media = ValidateMedia(options.Media, faults);
        var trunks = ValidateTrunks(options.Trunks, faults);
        var organisations = ValidateOrganisations(options.Organisations, faults);
        var numbers = ValidateNumbers(options.Numbers, trunks, organisations, faults);
        var dataPath = ValidateDataPath(options.Data, faults);
        var database = ValidateDatabase(options.Database, faults);
        var grpc = ValidateGrpc(options.Grpc, faults);
        var events = ValidateEvents(options.Events, faults);
        if (faults.Count > 0)
        {
            return SettingsValidationResult.Invalid(faults.AsReadOnly());
        }

        return SettingsValidationResult.Valid(new EngineSettings(sip!, media!, trunks, numbers, dataPath!, database)
        {
            Organisations = organisations.AsReadOnly(),
            Grpc = grpc!,
            Events = events,
        });
    }

    private static SipSettings? ValidateSip(SipOptions sip, List<ConfigurationFault> faults)
    {
        var listen = new List<SipListenEndpoint>();
        if (sip.Listen.Count == 0)
        {
            faults.Add(new("Sip:Listen", "no endpoints; the engine needs at least one, e.g. udp:0.0.0.0:5060"));
        }

        for (var i = 0; i < sip.Listen.Count; i++)
        {
            var key = Key("Sip:Listen", i);
            var text = sip.Listen[i];
            if (!SipListenEndpoint.TryParse(text, out var endpoint, out var error))
            {
                faults.Add(new(key, $"\"{text}\" is not a valid endpoint: {error}"));
            }
            else if (endpoint.Transport == SipTransportKind.Tls)
            {
                faults.Add(new(key, $"\"{text}\": TLS arrives in a later release"));
            }
            else if (endpoint.Port != 0 && listen.FindIndex(e => e == endpoint) is var first and >= 0)
            {
                faults.Add(new(key, $"\"{text}\" duplicates {Key("Sip:Listen", first)}"));
            }
            else
            {
                listen.Add(endpoint);
            }
        }

        var publicAddress = EmptyAsNull(sip.PublicAddress);
        if (publicAddress is not null)
        {
            CheckAdvertisedAddress("Sip:PublicAddress", publicAddress, faults);
        }

        var t1 = Positive("Sip:Timers:T1Ms", sip.Timers.T1Ms, faults);
        var t2 = Positive("Sip:Timers:T2Ms", sip.Timers.T2Ms, faults);
        var t4 = Positive("Sip:Timers:T4Ms", sip.Timers.T4Ms, faults);
        if (t1 && t2 && sip.Timers.T1Ms > sip.Timers.T2Ms)
        {
            // RFC 3261 §17.1.2.2: retransmissions double from T1 up to T2, so T1 ≤ T2.
            faults.Add(new("Sip:Timers:T1Ms", Invariant($"{sip.Timers.T1Ms} is above Sip:Timers:T2Ms ({sip.Timers.T2Ms}); T1 must not exceed T2")));
        }

        if (sip.MinSESeconds < MinimumMinSESeconds)
        {
            faults.Add(new("Sip:MinSESeconds", Invariant($"{sip.MinSESeconds} is below {MinimumMinSESeconds} (RFC 4028 §4)")));
        }

        if (sip.SessionExpiresSeconds < sip.MinSESeconds)
        {
            faults.Add(new("Sip:SessionExpiresSeconds", Invariant($"{sip.SessionExpiresSeconds} is below Sip:MinSESeconds ({sip.MinSESeconds})")));
        }

        if (string.IsNullOrWhiteSpace(sip.UserAgent))
        {
            faults.Add(new("Sip:UserAgent", "is empty"));
        }
        else if (sip.UserAgent.Any(char.IsControl))
        {
            // It goes verbatim into a header line; a CR or LF would split the message.
            faults.Add(new("Sip:UserAgent", "contains control characters"));
        }

        if (sip.AnswerDelayMs is < 0 or > MaximumAnswerDelayMs)
        {
            faults.Add(new("Sip:AnswerDelayMs", Invariant($"{sip.AnswerDelayMs} is outside 0-{MaximumAnswerDelayMs}")));
        }

        // The timer settings check themselves and throw on bad values; build them only from values that passed.
        var timers = t1 && t2 && t4 && sip.Timers.T1Ms <= sip.Timers.T2Ms
            ? new SipTimerSettings(
                TimeSpan.FromMilliseconds(sip.Timers.T1Ms),
                TimeSpan.FromMilliseconds(sip.Timers.T2Ms),
                TimeSpan.FromMilliseconds(sip.Timers.T4Ms))
            : SipTimerSettings.Default;
        return new SipSettings(
            listen.AsReadOnly(),
            publicAddress,
            timers,
            TimeSpan.FromSeconds(sip.SessionExpiresSeconds),
            TimeSpan.FromSeconds(sip.MinSESeconds),
            sip.UserAgent ?? string.Empty,
            TimeSpan.FromMilliseconds(Math.Clamp(sip.AnswerDelayMs, 0, MaximumAnswerDelayMs)));
    }

    private static MediaSettings? ValidateMedia(MediaOptions media, List<ConfigurationFault> faults)
    {
        var address = EmptyAsNull(media.Address);
        if (address is not null)
        {
            CheckAdvertisedAddress("Media:Address", address, faults);
        }

        var latchAny = false;
        if (string.Equals(media.Latching, "any", StringComparison.OrdinalIgnoreCase))
        {
            latchAny = true;
        }
        else if (!string.Equals(media.Latching, "sdp", StringComparison.OrdinalIgnoreCase))
        {
            faults.Add(new("Media:Latching", $"\"{media.Latching}\" is not a latching mode: use \"sdp\" (only the address the SDP names) or \"any\" (first source, for NATed carriers)"));
        }

        if (media.InactivitySeconds is < 5 or > 3600)
        {
            faults.Add(new("Media:InactivitySeconds", Invariant($"{media.InactivitySeconds} is outside 5-3600")));
        }

        if (media.Workers is < 0 or > 256)
        {
            faults.Add(new("Media:Workers", Invariant($"{media.Workers} is outside 0-256 (0 = one per core)")));
        }

        if (media.WorkerNice is < -20 or > 19)
        {
            faults.Add(new("Media:WorkerNice", Invariant($"{media.WorkerNice} is outside -20-19 (a Linux nice value; lower runs first, 0 leaves the workers as the process is)")));
        }

        if (!RtpPortRange.TryParse(media.PortRange, out var range, out var error))
        {
            faults.Add(new("Media:PortRange", $"\"{media.PortRange}\" is not a valid port range: {error}"));
            return null;
        }

        return new MediaSettings(
            address,
            range,
            TimeSpan.FromSeconds(Math.Clamp(media.InactivitySeconds, 5, 3600)),
            latchAny,
            media.Workers <= 0 ? Environment.ProcessorCount : media.Workers,
            media.Record,
            Math.Clamp(media.WorkerNice, -20, 19));
    }

    private string? ValidateDataPath(DataOptions data, List<ConfigurationFault> faults)
    {
        if (string.IsNullOrWhiteSpace(data.Path))
        {
            faults.Add(new("Data:Path", "is empty"));
            return null;
        }

        if (data.Path.AsSpan().IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            faults.Add(new("Data:Path", $"\"{data.Path}\" contains characters not allowed in a path"));
            return null;
        }

        return Path.GetFullPath(data.Path, _workingDirectory);
    }

    private DatabaseSettings ValidateDatabase(DatabaseOptions database, List<ConfigurationFault> faults)
    {
        var connectionString = EmptyAsNull(database.ConnectionString);
        if (connectionString is not null)
        {
            try
            {
                var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
                if (string.IsNullOrWhiteSpace(builder.Host))
                {
                    faults.Add(new("Database:ConnectionString", "names no Host (e.g. \"Host=db.example;Database=calltracking;Username=calltracking;Password=...\"); leave it empty for the embedded database"));
                }
            }
            catch (ArgumentException e)
            {
                // The message names the bad keyword; the string itself may hold a password, so it is not repeated.
                faults.Add(new("Database:ConnectionString", $"is not a valid PostgreSQL connection string: {e.Message}"));
            }
        }

        var binaries = EmptyAsNull(database.ServerBinaries);
        if (binaries is not null)
        {
            binaries = Path.GetFullPath(binaries, _workingDirectory);
        }

        return new DatabaseSettings(connectionString, binaries);
    }

    // ITU-T E.164: at most 15 digits; country codes never start with 0.
    private static bool IsE164([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? number) =>
        number is { Length: >= 9 and <= 16 } && number[0] == '+' && number[1] != '0'
        && !number.AsSpan(1).ContainsAnyExceptInRange('0', '9');

    private static void CheckAdvertisedAddress(string key, string address, List<ConfigurationFault> faults)
    {
        if (AddressSyntax.TryParseIp(address, out var ip))
        {
            if (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any))
            {
                // Peers send to this address; 0.0.0.0 in SDP even means "on hold" (RFC 3264 §8.4).
                faults.Add(new(key, $"\"{address}\" is the unspecified address; peers need an address they can reach"));
            }
        }
        else if (!AddressSyntax.IsHostName(address))
        {
            faults.Add(new(key, $"\"{address}\" is neither an IP address nor a host name"));
        }
    }

    private static bool Positive(string key, int value, List<ConfigurationFault> faults)
    {
        if (value > 0)
        {
            return true;
        }

        faults.Add(new(key, Invariant($"{value} must be above 0")));
        return false;
    }

    private static IConfiguration Without(IConfiguration configuration, HashSet<string> exclude) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(configuration.AsEnumerable().Where(kv => !IsExcluded(kv.Key, exclude)))
            .Build();

    private static bool IsExcluded(string key, HashSet<string> exclude)
    {
        for (var end = key.Length; end > 0; end = key.LastIndexOf(':', end - 1))
        {
            if (exclude.Contains(key[..end]))
            {
                return true;
            }
        }

        return false;
    }

    private static string? EmptyAsNull(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Key(string prefix, int index) => Invariant($"{prefix}:{index}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
