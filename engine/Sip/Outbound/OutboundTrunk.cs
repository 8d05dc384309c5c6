using System.Text;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Transport;

namespace CallTracking.Engine.Sip.Outbound;

/// <summary>
/// An outbound (termination) trunk at run time: where INVITEs go, the credentials to answer challenges with, how the
/// caller and the tracking number are presented, and whether OPTIONS pings find it up. Identity is immutable;
/// <see cref="State"/> is written by <see cref="TrunkMonitor"/> and read by dialers on any thread.
/// </summary>
public sealed class OutboundTrunk
{
    public const string TwilioTerminationSuffix = ".pstn.twilio.com";

    /// <summary>RFC 5806 Diversion: the default header carrying the tracking number.</summary>
    public const string DiversionHeaderName = "Diversion";

    private volatile TrunkState _state;

    /// <param name="terminationUri">A SIP URI (<c>sip:example.pstn.twilio.com</c>, <c>sip:10.0.0.5:5080</c>).</param>
    /// <param name="trackingHeader">Header carrying the tracking number: "Diversion" (RFC 5806, the default) or
    /// another name such as <c>X-Tracking-Number</c>, which then carries the bare number.</param>
    public OutboundTrunk(
        string name,
        string terminationUri,
        SipTransportKind transport = SipTransportKind.Udp,
        string? username = null,
        string? password = null,
        CallerIdPolicy callerIdPolicy = CallerIdPolicy.PassThrough,
        string trackingHeader = DiversionHeaderName,
        bool sendPAssertedIdentity = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(terminationUri);
        ArgumentException.ThrowIfNullOrWhiteSpace(trackingHeader);
        var uri = terminationUri.Trim();
        if (!uri.StartsWith("sip:", StringComparison.OrdinalIgnoreCase))
        {
            uri = "sip:" + uri;
        }

        if (!SipDnsResolver.TryReadUri(uri, transport, out var host, out var port, out _))
        {
            throw new ArgumentException($"Outbound trunk '{name}': '{terminationUri}' is not a SIP URI.", nameof(terminationUri));
        }

        Name = name;
        TerminationUri = uri;
        Host = host;
        HostPort = port == 0 ? (host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host) : (host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{port}" : $"{host}:{port}");
        Transport = transport;
        Username = username;
        Password = password;
        CallerIdPolicy = callerIdPolicy;
        TrackingHeader = trackingHeader;
        SendPAssertedIdentity = sendPAssertedIdentity;
    }

    public string Name { get; }

    public string TerminationUri { get; }

    /// <summary>The host of the termination URI (no port).</summary>
    public string Host { get; }

    /// <summary>Host and port as written in Request-URIs through this trunk.</summary>
    public string HostPort { get; }

    public SipTransportKind Transport { get; }

    public string? Username { get; }

    public string? Password { get; }

    public bool HasCredentials => !string.IsNullOrEmpty(Username) && Password is not null;

    public CallerIdPolicy CallerIdPolicy { get; }

    public string TrackingHeader { get; }

    public bool UsesDiversion => string.Equals(TrackingHeader, DiversionHeaderName, StringComparison.OrdinalIgnoreCase);

    public bool SendPAssertedIdentity { get; }

    public TrunkState State => _state;

    internal void SetState(TrunkState state) => _state = state;

    /// <summary>
    /// Twilio's termination URI must be <c>&lt;name&gt;.pstn.twilio.com</c> (one label before the suffix, letters,
    /// digits and hyphens; an optional region label such as <c>name.pstn.ashburn.twilio.com</c> is not the
    /// termination form). Returns null when <paramref name="uri"/> is fine, else the reason.
    /// </summary>
    public static string? ValidateTwilioTermination(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var text = uri.Trim();
        if (!text.StartsWith("sip:", StringComparison.OrdinalIgnoreCase))
        {
            text = "sip:" + text;
        }

        if (!SipUri.TryParse(Encoding.ASCII.GetBytes(text), out var parsed) || parsed.Host.IsEmpty)
        {
            return $"'{uri}' is not a SIP URI";
        }

        var host = Encoding.ASCII.GetString(parsed.Host).ToLowerInvariant();
        if (!host.EndsWith(TwilioTerminationSuffix, StringComparison.Ordinal))
        {
            return $"'{host}' is not a Twilio termination host: it must be <name>{TwilioTerminationSuffix}";
        }

        var label = host[..^TwilioTerminationSuffix.Length];
        if (label.Length is 0 or > 63 || label.Contains('.', StringComparison.Ordinal) || label[0] == '-' || label[^1] == '-'
            || !label.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
        {
            return $"'{host}' must be <name>{TwilioTerminationSuffix} with one name label of letters, digits and hyphens";
        }

        if (!parsed.User.IsEmpty)
        {
            return $"'{uri}' must not carry a user part: the dialled number is put there per call";
        }

        return null;
    }

    public override string ToString() => $"{Name} ({TerminationUri})";
}
