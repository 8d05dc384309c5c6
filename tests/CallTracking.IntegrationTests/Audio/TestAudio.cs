using System.Globalization;

namespace CallTracking.IntegrationTests.Audio;

/// <summary>
/// Audio to play into calls, 8 kHz mono 16-bit: speech made by espeak-ng (resampled by sox)
/// and a log sweep computed here (no tool). Speech needs espeak-ng and sox; without them
/// <see cref="SpeechAsync"/> throws <see cref="AudioToolMissingException"/> naming the package.
/// </summary>
public static class TestAudio
{
    public const int SampleRate = 8000;

    /// <summary>The caller's line.</summary>
    public const string CallerPhrase = "Hello, I would like to book a plumber for tomorrow morning, my kitchen sink is leaking.";

    /// <summary>The business's greeting.</summary>
    public const string GreetingPhrase = "Thank you for calling Acme Plumbing, this call is recorded.";

    public static bool IsSpeechAvailable => ExternalTool.IsInstalled("espeak-ng") && ExternalTool.IsInstalled("sox");

    /// <summary>
    /// Speaks <paramref name="text"/> with espeak-ng (22.05 kHz), resamples it with sox to 8 kHz mono
    /// 16-bit, writes <c>&lt;directory&gt;/&lt;name&gt;.wav</c> and returns it. espeak-ng is deterministic:
    /// the same text and voice give the same samples.
    /// </summary>
    public static async Task<PcmAudio> SpeechAsync(string text, string directory, string name = "speech", string voice = "en-us", int wordsPerMinute = 160)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        ExternalTool.Require("espeak-ng");
        ExternalTool.Require("sox");
        var raw = Path.Combine(directory, $"{name}-espeak.wav");
        var wav = Path.Combine(directory, $"{name}.wav");
        await ExternalTool.RunAsync("espeak-ng", ["-v", voice, "-s", wordsPerMinute.ToString(CultureInfo.InvariantCulture), "-w", raw, text]).ConfigureAwait(false);
        // -G: sox lowers the gain itself if resampling would clip; -D: no dither, so the result is the same every time.
        await ExternalTool.RunAsync("sox", ["-G", "-D", raw, "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer", wav]).ConfigureAwait(false);
        return Wav.ReadMono(wav);
    }

    /// <summary>
    /// A logarithmic sine sweep from <paramref name="startHz"/> to <paramref name="endHz"/> (default
    /// 200–3400 Hz, the telephone band) at <paramref name="amplitude"/> of full scale, with 10 ms
    /// fades in and out. Pure arithmetic: the same arguments give the same samples everywhere.
    /// </summary>
    public static PcmAudio Sweep(TimeSpan duration, double startHz = 200, double endHz = 3400, double amplitude = 0.5, int sampleRate = SampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(startHz, 0);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(endHz, startHz);
        var count = (int)Math.Round(duration.TotalSeconds * sampleRate);
        var seconds = duration.TotalSeconds;
        var k = Math.Log(endHz / startHz);
        var fade = Math.Max(1, sampleRate / 100);
        var samples = new short[count];
        for (var i = 0; i < count; i++)
        {
            var t = (double)i / sampleRate;
            // Phase of an exponential chirp: 2π f0 T/k (e^{k t/T} − 1).
            var phase = 2 * Math.PI * startHz * seconds / k * (Math.Exp(k * t / seconds) - 1);
            var envelope = Math.Min(1.0, Math.Min((double)i / fade, (double)(count - 1 - i) / fade));
            samples[i] = (short)Math.Round(32767 * amplitude * envelope * Math.Sin(phase));
        }

        return new PcmAudio(samples, sampleRate);
    }

    /// <summary>A sine tone with 10 ms fades (e.g. to tell two channels apart).</summary>
    public static PcmAudio Tone(double hz, TimeSpan duration, double amplitude = 0.5, int sampleRate = SampleRate)
    {
        var count = (int)Math.Round(duration.TotalSeconds * sampleRate);
        var fade = Math.Max(1, sampleRate / 100);
        var samples = new short[count];
        for (var i = 0; i < count; i++)
        {
            var envelope = Math.Min(1.0, Math.Min((double)i / fade, (double)(count - 1 - i) / fade));
            samples[i] = (short)Math.Round(32767 * amplitude * envelope * Math.Sin(2 * Math.PI * hz * i / sampleRate));
        }

        return new PcmAudio(samples, sampleRate);
    }
}
