namespace CallTracking.Media.Audio;

/// <summary>
/// Converts a whole 16-bit PCM signal between any two sample rates (prompts an operator supplies at 22.05, 44.1 or
/// 48 kHz, speech rendered by espeak-ng at 22.05 kHz) by band-limited interpolation: every output sample is a
/// Blackman-windowed sinc sum over the input around its instant, with the cut-off just below the lower of the two
/// Nyquist frequencies so that nothing folds back into the telephone band. Made for loading prompts once, not for
/// the per-packet path (it allocates the result; the 2:1 <see cref="Resampler"/> streams).
/// </summary>
public static class SincResampler
{
    // Zero crossings of the sinc kept on each side of the instant: 12 gives > 70 dB stop-band with Blackman.
    private const int ZeroCrossings = 12;

    // The pass band ends at 95 % of the lower Nyquist frequency (3.8 kHz for 8 kHz output).
    private const double PassFraction = 0.95;

    public static short[] Convert(ReadOnlySpan<short> input, int inputRate, int outputRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputRate);
        if (inputRate == outputRate)
        {
            return input.ToArray();
        }

        var outputLength = (int)((long)input.Length * outputRate / inputRate);
        var output = new short[outputLength];
        var step = inputRate / (double)outputRate;

        // Cut-off in cycles per input sample, and the half-width of the kernel in input samples.
        var cutoff = 0.5 * Math.Min(1.0, outputRate / (double)inputRate) * PassFraction;
        var halfWidth = ZeroCrossings / (2 * cutoff);
        for (var i = 0; i < output.Length; i++)
        {
            var t = i * step;
            var first = Math.Max(0, (int)Math.Ceiling(t - halfWidth));
            var last = Math.Min(input.Length - 1, (int)Math.Floor(t + halfWidth));
            double sum = 0;
            for (var k = first; k <= last; k++)
            {
                var d = t - k;
                sum += input[k] * Kernel(d, cutoff, halfWidth);
            }

            output[i] = (short)Math.Clamp(Math.Round(sum), short.MinValue, short.MaxValue);
        }

        return output;
    }

    private static double Kernel(double distance, double cutoff, double halfWidth)
    {
        var x = 2 * cutoff * distance;
        var sinc = Math.Abs(x) < 1e-12 ? 1.0 : Math.Sin(Math.PI * x) / (Math.PI * x);

        // Blackman window over [-halfWidth, halfWidth].
        var w = (distance / halfWidth + 1) / 2;
        var window = 0.42 - (0.5 * Math.Cos(2 * Math.PI * w)) + (0.08 * Math.Cos(4 * Math.PI * w));
        return 2 * cutoff * sinc * window;
    }
}
