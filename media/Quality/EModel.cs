using CallTracking.Media.Codecs;

namespace CallTracking.Media.Quality;

/// <summary>
/// A listening-quality estimate from what RTP statistics tell: the ITU-T G.107 E-model reduced to the terms
/// that change on an IP call (delay and packet loss), all other factors at their G.107 defaults (R0 − Is = 93.2).
/// </summary>
public static class EModel
{
    /// <summary>G.107 §7.1: R with every factor at its default value (no delay, no loss, no codec impairment).</summary>
    public const double DefaultR = 93.2;

    /// <summary>Packetisation delay of a 20 ms frame, the size every leg here uses.</summary>
    public const double PacketisationMs = 20;

    /// <summary>Network one-way delay assumed when none is measured (a domestic path).</summary>
    public const double DefaultNetworkDelayMs = 20;

    /// <summary>
    /// Estimated MOS-CQE (1 … 4.5) for a call leg.
    /// </summary>
    /// <param name="codec">The codec heard on the leg.</param>
    /// <param name="packetLossPercent">Packets lost (or discarded late), 0–100, taken as random loss (BurstR = 1).</param>
    /// <param name="jitterMs">Interarrival jitter (RFC 3550 §6.4.1); the jitter buffer is assumed to hold twice this.</param>
    /// <param name="oneWayDelayMs">Network one-way delay; packetisation and jitter-buffer delay are added to it.</param>
    /// <param name="packetLossConcealment">Whether the decoder conceals lost frames (G.711 Appendix I PLC; Opus always does).</param>
    public static double EstimateMos(AudioCodec codec, double packetLossPercent, double jitterMs, double oneWayDelayMs = DefaultNetworkDelayMs, bool packetLossConcealment = true)
    {
        var r = RFactor(codec, packetLossPercent, jitterMs, oneWayDelayMs, packetLossConcealment);
        return MosFromR(r);
    }

    /// <summary>The transmission rating R = 93.2 − Id − Ie,eff (G.107 §7 with Is and A at their defaults).</summary>
    public static double RFactor(AudioCodec codec, double packetLossPercent, double jitterMs, double oneWayDelayMs = DefaultNetworkDelayMs, bool packetLossConcealment = true)
    {
        var loss = Math.Clamp(double.IsNaN(packetLossPercent) ? 0 : packetLossPercent, 0, 100);
        var jitter = Math.Max(0, double.IsNaN(jitterMs) ? 0 : jitterMs);
        var network = Math.Max(0, double.IsNaN(oneWayDelayMs) ? 0 : oneWayDelayMs);
        var mouthToEar = network + PacketisationMs + (2 * jitter);
        return DefaultR - DelayImpairment(mouthToEar) - EffectiveEquipmentImpairment(codec, loss, packetLossConcealment);
    }

    /// <summary>
    /// Id from the one-way delay Ta: the usual fit of G.107's Idd/Idte for an echo-free path
    /// (Cole and Rosenbluth, "Voice over IP performance monitoring", ACM CCR 31(2), 2001):
    /// Id = 0.024·Ta + 0.11·(Ta − 177.3)·H(Ta − 177.3).
    /// </summary>
    public static double DelayImpairment(double oneWayDelayMs) =>
        (0.024 * oneWayDelayMs) + (oneWayDelayMs > 177.3 ? 0.11 * (oneWayDelayMs - 177.3) : 0);

    /// <summary>G.107 §7.4 (formula 7-29): Ie,eff = Ie + (95 − Ie)·Ppl / (Ppl / BurstR + Bpl), random loss (BurstR = 1).</summary>
    public static double EffectiveEquipmentImpairment(AudioCodec codec, double packetLossPercent, bool packetLossConcealment = true)
    {
        var (ie, bpl) = Impairment(codec, packetLossConcealment);
        const double burstR = 1;
        return ie + ((95 - ie) * packetLossPercent / ((packetLossPercent / burstR) + bpl));
    }

    /// <summary>G.107 Annex B (formula B-4): MOS-CQE from R, clamped to 1 … 4.5.</summary>
    public static double MosFromR(double r)
    {
        if (r <= 0)
        {
            return 1;
        }

        if (r >= 100)
        {
            return 4.5;
        }

        return Math.Clamp(1 + (0.035 * r) + (r * (r - 60) * (100 - r) * 7e-6), 1, 4.5);
    }

    /// <summary>Equipment impairment Ie and packet-loss robustness Bpl per codec.</summary>
    private static (double Ie, double Bpl) Impairment(AudioCodec codec, bool packetLossConcealment) => codec switch
    {
        // ITU-T G.113 Appendix I, Table I.3: G.711 Ie = 0; Bpl = 4.3 without PLC, 25.1 with G.711 Appendix I PLC.
        AudioCodec.Pcmu or AudioCodec.Pcma => (0, packetLossConcealment ? 25.1 : 4.3),

        // G.113 lists no narrowband-scale values for Opus. These are estimates, not ITU values: Opus at the
        // 16-24 kbit/s wideband rates used here is heard at least as well as G.711 on the narrowband scale, and
        // its built-in concealment (and in-band FEC when negotiated) degrades more gently than G.711's PLC, so
        // Ie = 0 and a Bpl a little above G.711 with PLC. Replace with measured values when there are some.
        AudioCodec.Opus => (0, 30),
        _ => throw new ArgumentOutOfRangeException(nameof(codec), codec, "Unknown codec."),
    };
}
