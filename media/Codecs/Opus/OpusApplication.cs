namespace CallTracking.Media.Codecs.Opus;

/// <summary>The coding mode opus_encoder_create takes (opus_defines.h).</summary>
public enum OpusApplication
{
    /// <summary>OPUS_APPLICATION_VOIP: speech, intelligibility first.</summary>
    Voip = 2048,

    /// <summary>OPUS_APPLICATION_AUDIO: music and mixed content, fidelity first.</summary>
    Audio = 2049,

    /// <summary>OPUS_APPLICATION_RESTRICTED_LOWDELAY: CELT only, lowest delay.</summary>
    RestrictedLowDelay = 2051,
}
