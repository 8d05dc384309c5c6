namespace CallTracking.Engine.Sip.Outbound;

/// <summary>
/// One outbound leg to place. <see cref="Destination"/> is an E.164 number (<c>+15551230001</c>), dialled as
/// <c>sip:+15551230001@&lt;trunk host&gt;</c> through <see cref="Trunks"/> in order, or a full SIP URI dialled
/// directly (resolved per RFC 3263; the trunks are then not used).
/// </summary>
public sealed record DialRequest(string Destination, IReadOnlyList<OutboundTrunk> Trunks, string CallerNumber, ReadOnlyMemory<byte> SdpOffer)
{
    public string? CallerDisplayName { get; init; }

    /// <summary>The tracking number the caller dialled: sent in Diversion (or the trunk's header), and presented as
    /// the caller under <see cref="CallerIdPolicy.TrackingNumber"/>.</summary>
    public string? TrackingNumber { get; init; }

    /// <summary>How long the destination may ring before we CANCEL and report 408 No Answer.</summary>
    public TimeSpan RingTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Extra headers written as they are, each name and value.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ExtraHeaders { get; init; } = [];
}
