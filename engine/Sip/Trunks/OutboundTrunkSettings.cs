using CallTracking.Engine.Sip.Transport;

namespace CallTracking.Engine.Sip.Trunks;

/// <summary>
/// The validated <c>Trunks:N:Outbound</c> section: where forwarded calls are sent and how they are dressed.
/// </summary>
/// <param name="Uri">The carrier's SIP URI as configured, e.g. <c>sip:office.pstn.twilio.com</c>.</param>
/// <param name="Host">Host part of <paramref name="Uri"/>.</param>
/// <param name="Port">Port from <paramref name="Uri"/>, or null for the default (RFC 3263 resolution).</param>
/// <param name="Credentials">Digest credentials to answer the carrier's challenges with, or null.</param>
/// <param name="Transport">UDP or TCP.</param>
/// <param name="CallerId">Which number goes in From/P-Asserted-Identity.</param>
/// <param name="TrackingNumberHeader">Header that carries the tracking number: <c>Diversion</c> (RFC 5806) or another header name.</param>
/// <param name="OptionsInterval">How often the trunk is pinged with OPTIONS (15–30 s).</param>
public sealed record OutboundTrunkSettings(
    string Uri,
    string Host,
    int? Port,
    TrunkCredentials? Credentials,
    SipTransportKind Transport,
    CallerIdMode CallerId,
    string TrackingNumberHeader,
    TimeSpan OptionsInterval)
{
    /// <summary>True when the tracking number travels in a Diversion header (RFC 5806) rather than a custom one.</summary>
    public bool UsesDiversion => string.Equals(TrackingNumberHeader, "Diversion", StringComparison.OrdinalIgnoreCase);
}
