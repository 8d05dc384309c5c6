namespace CallTracking.Media.Codecs;

/// <summary>The audio codecs media speaks. RTP payload numbers are negotiated elsewhere (SDP).</summary>
public enum AudioCodec
{
    /// <summary>G.711 µ-law, 8 kHz, static RTP payload type 0 (RFC 3551 §6).</summary>
    Pcmu,

    /// <summary>G.711 A-law, 8 kHz, static RTP payload type 8 (RFC 3551 §6).</summary>
    Pcma,

    /// <summary>Opus through libopus; RTP clock is always 48 kHz (RFC 7587 §4.1).</summary>
    Opus,
}
