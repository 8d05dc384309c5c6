using CallTracking.Media.Transcription;

namespace CallTracking.Tests.Transcription;

public sealed class VoiceActivityDetectorTests
{
    private const int Rate = 16000;
    private static readonly VoiceActivityOptions Options = new();

    [Fact]
    public void Silence_and_faint_line_noise_have_no_speech()
    {
        Assert.Empty(VoiceActivityDetector.Detect(new float[Rate * 3], Rate, Options));
        Assert.Empty(VoiceActivityDetector.Detect(Noise(Rate * 3, 0.001f, seed: 1), Rate, Options));
    }

    [Fact]
    public void A_voiced_burst_is_found_with_its_padding_before_and_hangover_after()
    {
        var audio = new float[Rate * 4];
        Tone(audio, 200, Rate * 1, Rate, 0.3f);

        var region = Assert.Single(VoiceActivityDetector.Detect(audio, Rate, Options));

        // 100 ms padding before 1.0 s; the 300 ms hangover after 2.0 s.
        Assert.Equal(Rate * 9 / 10, region.Start);
        Assert.Equal(Rate * 23 / 10, region.End);
    }

    [Fact]
    public void Bursts_closer_than_the_merge_gap_are_one_region_and_far_apart_are_two()
    {
        var audio = new float[Rate * 6];
        Tone(audio, 300, Rate * 1, Rate * 1 / 2, 0.3f);
        Tone(audio, 300, Rate * 18 / 10, Rate * 1 / 2, 0.3f);
        Tone(audio, 300, Rate * 4, Rate * 1 / 2, 0.3f);

        var regions = VoiceActivityDetector.Detect(audio, Rate, Options);

        Assert.Equal(2, regions.Count);
        Assert.Equal(Rate * 9 / 10, regions[0].Start);
        Assert.Equal(Rate * 26 / 10, regions[0].End);
        Assert.Equal(Rate * 39 / 10, regions[1].Start);
    }

    [Fact]
    public void A_click_shorter_than_the_minimum_speech_is_ignored()
    {
        var audio = new float[Rate * 2];
        Tone(audio, 300, Rate, Rate / 50, 0.5f);

        Assert.Empty(VoiceActivityDetector.Detect(audio, Rate, Options));
    }

    [Fact]
    public void Quiet_hiss_with_a_high_zero_crossing_rate_is_not_speech_but_loud_hiss_is()
    {
        // Alternating samples cross zero every sample: ZCR 1.0.
        var quiet = new float[Rate];
        var loud = new float[Rate];
        for (var i = 0; i < Rate; i++)
        {
            quiet[i] = (i % 2 == 0 ? 1 : -1) * 0.01f;
            loud[i] = (i % 2 == 0 ? 1 : -1) * 0.3f;
        }

        Assert.Empty(VoiceActivityDetector.Detect(quiet, Rate, Options));
        Assert.Single(VoiceActivityDetector.Detect(loud, Rate, Options));
    }

    [Fact]
    public void Speech_running_to_the_end_of_the_audio_ends_at_the_end()
    {
        var audio = new float[Rate * 2];
        Tone(audio, 200, Rate, Rate, 0.3f);

        var region = Assert.Single(VoiceActivityDetector.Detect(audio, Rate, Options));

        Assert.Equal(audio.Length, region.End);
    }

    private static void Tone(float[] audio, double hz, int start, int length, float amplitude)
    {
        for (var i = 0; i < length; i++)
        {
            audio[start + i] = amplitude * (float)Math.Sin(2 * Math.PI * hz * i / Rate);
        }
    }

    private static float[] Noise(int length, float amplitude, int seed)
    {
        var random = new Random(seed);
        var audio = new float[length];
        for (var i = 0; i < length; i++)
        {
            audio[i] = amplitude * (float)((random.NextDouble() * 2) - 1);
        }

        return audio;
    }
}
