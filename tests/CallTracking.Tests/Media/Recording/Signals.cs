namespace CallTracking.Tests.Media.Recording;

/// <summary>Test signals and the measures the recording tests compare them with.</summary>
internal static class Signals
{
    public static short[] Tone(double frequency, int sampleRate, TimeSpan length, double amplitude = 8000)
    {
        var samples = new short[(int)(sampleRate * length.TotalSeconds)];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = (short)Math.Round(amplitude * Math.Sin(2 * Math.PI * frequency * i / sampleRate));
        }

        return samples;
    }

    public static double Rms(ReadOnlySpan<short> samples)
    {
        if (samples.IsEmpty)
        {
            return 0;
        }

        double sum = 0;
        foreach (short s in samples)
        {
            sum += (double)s * s;
        }

        return Math.Sqrt(sum / samples.Length);
    }

    /// <summary>
    /// The best normalised correlation of <paramref name="actual"/> against
    /// <paramref name="expected"/> over lags 0..maxLag (decoders delay, never advance),
    /// on the stretch from <paramref name="from"/> of length <paramref name="count"/>.
    /// </summary>
    public static (double Correlation, int Lag) BestCorrelation(short[] expected, short[] actual, int from, int count, int maxLag)
    {
        double best = double.MinValue;
        int bestLag = 0;
        for (int lag = -maxLag; lag <= maxLag; lag++)
        {
            double xy = 0, xx = 0, yy = 0;
            for (int i = from; i < from + count; i++)
            {
                int j = i + lag;
                if (j < 0 || j >= actual.Length || i >= expected.Length)
                {
                    continue;
                }

                double x = expected[i], y = actual[j];
                xy += x * y;
                xx += x * x;
                yy += y * y;
            }

            double c = xx == 0 || yy == 0 ? 0 : xy / Math.Sqrt(xx * yy);
            if (c > best)
            {
                best = c;
                bestLag = lag;
            }
        }

        return (best, bestLag);
    }
}
