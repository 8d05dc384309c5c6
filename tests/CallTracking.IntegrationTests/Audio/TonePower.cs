namespace CallTracking.IntegrationTests.Audio;

/// <summary>How much of a signal's power sits at one frequency: tone checks for early media and redacted audio.</summary>
public static class TonePower
{
    /// <summary>
    /// Goertzel: the mean power at <paramref name="frequency"/>, comparable with <see cref="Energy(ReadOnlySpan{float})"/>
    /// (a pure tone there gives all of it).
    /// </summary>
    public static double At(ReadOnlySpan<float> samples, double frequency, int sampleRate = 8000)
    {
        var coefficient = 2 * Math.Cos(2 * Math.PI * frequency / sampleRate);
        double s1 = 0, s2 = 0;
        foreach (var x in samples)
        {
            var s0 = x + (coefficient * s1) - s2;
            s2 = s1;
            s1 = s0;
        }

        // A sinusoid of amplitude A gives |X(f)|^2 = (A N / 2)^2; times 2 / N^2 that is A^2 / 2, its mean square.
        return ((s1 * s1) + (s2 * s2) - (coefficient * s1 * s2)) * 2 / ((double)samples.Length * samples.Length);
    }

    /// <inheritdoc cref="At(ReadOnlySpan{float}, double, int)"/>
    public static double At(ReadOnlySpan<short> samples, double frequency, int sampleRate = 8000)
    {
        var floats = new float[samples.Length];
        for (var i = 0; i < samples.Length; i++)
        {
            floats[i] = samples[i];
        }

        return At(floats, frequency, sampleRate);
    }

    /// <summary>The mean square of <paramref name="samples"/>.</summary>
    public static double Energy(ReadOnlySpan<float> samples)
    {
        double sum = 0;
        foreach (var x in samples)
        {
            sum += (double)x * x;
        }

        return sum / samples.Length;
    }

    /// <inheritdoc cref="Energy(ReadOnlySpan{float})"/>
    public static double Energy(ReadOnlySpan<short> samples)
    {
        double sum = 0;
        foreach (var x in samples)
        {
            sum += (double)x * x;
        }

        return sum / samples.Length;
    }
}
