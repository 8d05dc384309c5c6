namespace CallTracking.Engine.Sip.Sdp;

/// <summary>An audio encoding we can send and receive, with the payload type we offer it with.</summary>
public sealed record SdpCodec(int PayloadType, string EncodingName, int ClockRate)
{
    /// <summary>G.711 µ-law, static payload type 0 (RFC 3551 §6).</summary>
    public static SdpCodec Pcmu { get; } = new(0, "PCMU", 8000);

    /// <summary>G.711 A-law, static payload type 8 (RFC 3551 §6).</summary>
    public static SdpCodec Pcma { get; } = new(8, "PCMA", 8000);

    /// <summary>RFC 4733 DTMF events; dynamic, so the payload type is whatever was negotiated.</summary>
    public const string TelephoneEvent = "telephone-event";

    public bool Matches(string encodingName, int clockRate, int? channels) =>
        string.Equals(EncodingName, encodingName, StringComparison.OrdinalIgnoreCase)
        && ClockRate == clockRate
        && channels is null or 1;
}
