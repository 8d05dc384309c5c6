using System.Net;

namespace CallTracking.Engine.Sip.Trunks;

/// <summary>
/// Twilio Elastic SIP Trunking's signalling gateways, every edge: what <c>Preset: "twilio"</c> adds to a
/// trunk's allow-list. Twilio asks that all of them be allowed, because a call may arrive through any edge
/// when the nearest one is down.
/// </summary>
/// <remarks>
/// Source: https://www.twilio.com/docs/sip-trunking/ip-addresses ("Regional signaling IP gateways").
/// The search corpus available when this table was written holds that page, but its excerpt stops before the
/// table, so NONE of the ranges below could be checked against it: they are the long-published values
/// (the legacy /30 per edge and the newer block per edge). Check them against the page before relying on the
/// preset alone, and add any range Twilio has published since with an ordinary <c>Allow</c> entry.
/// </remarks>
public static class TwilioSignallingRanges
{
    /// <summary>One edge location and its signalling networks.</summary>
    public sealed record Edge(string Name, string Location, IReadOnlyList<IPNetwork> Networks);

    public static IReadOnlyList<Edge> Edges { get; } =
    [
        New("ashburn", "North America Virginia", "54.172.60.0/30", "34.203.250.0/23"),
        New("umatilla", "North America Oregon", "54.244.51.0/30", "34.216.110.0/23"),
        New("dublin", "Europe Ireland", "54.171.127.192/30", "52.215.127.0/24"),
        New("frankfurt", "Europe Frankfurt", "35.156.191.128/30", "3.122.181.0/24"),
        New("tokyo", "Asia Pacific Tokyo", "54.65.63.192/30", "3.112.80.0/24"),
        New("singapore", "Asia Pacific Singapore", "54.169.127.128/30", "3.1.77.0/24"),
        New("sydney", "Asia Pacific Sydney", "54.252.254.64/30", "3.104.90.0/24"),
        New("sao-paulo", "South America São Paulo", "177.71.206.192/30", "18.228.249.0/24"),
    ];

    /// <summary>Every edge's networks, in table order.</summary>
    public static IReadOnlyList<IPNetwork> All { get; } = [.. Edges.SelectMany(e => e.Networks)];

    private static Edge New(string name, string location, params string[] networks) =>
        new(name, location, [.. networks.Select(IPNetwork.Parse)]);
}
