using System.Globalization;

namespace CallTracking.IntegrationTests.Audio;

/// <summary>The two sides of a two-channel recording, as decoded.</summary>
public sealed record StereoAudio(PcmAudio Left, PcmAudio Right);

/// <summary>Ogg Opus files through opus-tools: decode (opusdec) to 16-bit WAV and split the channels; encode (opusenc) for tests.</summary>
public static class OpusFiles
{
    /// <summary>
    /// <c>opusdec --rate &lt;rate&gt; --force-wav FILE &lt;wavPath&gt;</c> and reads the WAV: one channel
    /// per channel of the Opus stream (opusdec writes stereo for a two-channel file).
    /// opusdec removes the pre-skip, so sample 0 is the first sample that was encoded.
    /// </summary>
    public static async Task<WavContent> DecodeAsync(string opusPath, string wavPath, int rate = 8000)
    {
        if (!File.Exists(opusPath))
        {
            throw new FileNotFoundException("No such Opus file.", opusPath);
        }

        await ExternalTool.RunAsync("opusdec", ["--quiet", "--rate", rate.ToString(CultureInfo.InvariantCulture), "--force-wav", opusPath, wavPath]).ConfigureAwait(false);
        return Wav.Read(wavPath);
    }

    /// <summary>Decodes a two-channel file next to itself (<c>FILE.decoded.wav</c>) and returns left and right; throws when it is not stereo.</summary>
    public static async Task<StereoAudio> DecodeStereoAsync(string opusPath, int rate = 8000)
    {
        var content = await DecodeAsync(opusPath, opusPath + ".decoded.wav", rate).ConfigureAwait(false);
        if (content.ChannelCount != 2)
        {
            throw new InvalidDataException($"{opusPath}: expected two channels, opusdec gave {content.ChannelCount}.");
        }

        return new StereoAudio(content.Channel(0), content.Channel(1));
    }

    /// <summary><c>opusenc --bitrate &lt;kbit/s&gt; WAV FILE</c> (for tests that need an .opus file without the engine).</summary>
    public static Task EncodeAsync(string wavPath, string opusPath, int bitrateKbps = 32) =>
        ExternalTool.RunAsync("opusenc", ["--quiet", "--bitrate", bitrateKbps.ToString(CultureInfo.InvariantCulture), wavPath, opusPath]);

    /// <summary><c>opusinfo FILE</c>: validates the Ogg Opus structure; returns its report, throws when it fails.</summary>
    public static Task<string> InfoAsync(string opusPath) => ExternalTool.RunAsync("opusinfo", [opusPath]);
}
