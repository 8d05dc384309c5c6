using CallTracking.Engine.Calls.Prompts;
using CallTracking.Media.Audio;
using CallTracking.Tests.Media.Recording;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallTracking.Tests.Calls;

public sealed class PromptLibraryTests : IDisposable
{
    private readonly TempFolder _temp = new();

    private PromptLibrary Library(string speaker = "espeak-ng") =>
        new(PromptLibrary.ShippedFolder, _temp.File("prompts"), NullLogger<PromptLibrary>.Instance, speaker);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Default_prompts_are_the_shipped_speech_and_none_is_no_prompt()
    {
        var library = Library();

        var notice = library.RecordingNotice("default");
        var greeting = library.VoicemailGreeting(null);

        Assert.NotNull(notice);
        Assert.NotNull(greeting);
        Assert.InRange(notice.Duration.TotalSeconds, 2, 10);
        Assert.True(Signals.Rms(notice.Samples.Span) > 300, "the shipped notice is silent");
        Assert.Null(library.RecordingNotice("none"));
        Assert.Null(library.Get(""));
    }

    [Fact]
    public void The_greeting_ends_with_the_tone()
    {
        var greeting = Library().VoicemailGreeting("default")!;
        var last = greeting.Samples.Span[^3200..^400];

        // A steady 1 kHz beep: a Goertzel filter at 1 kHz holds most of the energy of the last 350 ms.
        Assert.True(Goertzel(last, 1000) > 0.8 * Energy(last), "no 1 kHz tone at the end of the greeting");
    }

    [Fact]
    public void Text_is_spoken_once_and_cached_on_disk()
    {
        var first = Library().Get("Call from Google Ads");
        Assert.NotNull(first);
        Assert.InRange(first.Duration.TotalSeconds, 0.5, 5);
        Assert.True(Signals.Rms(first.Samples.Span) > 300);
        var cached = Assert.Single(Directory.GetFiles(_temp.File("prompts"), "*.wav"));

        // A new library (a restart) finds the cached file and does not need espeak-ng at all.
        var again = Library(speaker: "/nonexistent/espeak-ng").Get("Call from Google Ads");
        Assert.Equal(first.Samples.ToArray(), again!.Samples.ToArray());
        Assert.Single(Directory.GetFiles(_temp.File("prompts"), "*.wav"));
        Assert.True(File.Exists(cached));
    }

    [Fact]
    public void Without_espeak_ng_text_fails_saying_what_to_install()
    {
        var e = Assert.Throws<PromptException>(() => Library(speaker: "/nonexistent/espeak-ng").Get("Hello there"));
        Assert.Contains("apt-get install espeak-ng", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_or_bad_wav_fails_naming_the_file()
    {
        var library = Library();
        var missing = Assert.Throws<PromptException>(() => library.Get(_temp.File("nope.wav")));
        Assert.Contains("nope.wav", missing.Message, StringComparison.Ordinal);

        var stereo = _temp.File("stereo.wav");
        WavWriter.Write(stereo, new short[640], 8000, channels: 2);
        var bad = Assert.Throws<PromptException>(() => library.RecordingNotice(stereo));
        Assert.Contains("stereo", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_operator_wav_at_44_kHz_is_used_as_given()
    {
        var path = _temp.File("notice.wav");
        WavWriter.Write(path, Signals.Tone(600, 44_100, TimeSpan.FromSeconds(1.5)), 44_100);
        var prompt = Library().RecordingNotice(path);
        Assert.Equal(TimeSpan.FromSeconds(1.5), prompt!.Duration);
    }

    private static double Energy(ReadOnlySpan<short> samples)
    {
        double sum = 0;
        foreach (var s in samples)
        {
            sum += (double)s * s;
        }

        return sum;
    }

    // Power at one frequency, scaled so that a pure tone there gives about the signal's energy.
    private static double Goertzel(ReadOnlySpan<short> samples, double frequency)
    {
        var coefficient = 2 * Math.Cos(2 * Math.PI * frequency / 8000);
        double previous = 0, beforePrevious = 0;
        foreach (var s in samples)
        {
            var current = s + (coefficient * previous) - beforePrevious;
            beforePrevious = previous;
            previous = current;
        }

        var power = (previous * previous) + (beforePrevious * beforePrevious) - (coefficient * previous * beforePrevious);
        return 2 * power / samples.Length;
    }
}
