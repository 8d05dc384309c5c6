namespace CallTracking.Media.Audio;

/// <summary>
/// Converts 16-bit PCM between 16 kHz and 8 kHz by a factor of two: a low-pass
/// FIR (65-tap windowed sinc, cut-off 3.8 kHz, so the telephone band 300-3400 Hz
/// passes flat) followed by dropping every other sample (16 → 8 kHz), or zero
/// stuffing followed by the same filter (8 → 16 kHz). The filter delays the
/// signal by 32 samples at 16 kHz (2 ms). State is carried from one call of
/// <see cref="Process"/> to the next, so a stream can be fed a frame at a time;
/// one instance per stream. Allocates nothing after construction.
/// </summary>
public sealed class Resampler
{
    // Odd length for linear phase; 65 makes the delay (32 samples at 16 kHz) a whole
    // number of samples at 8 kHz too, so decimation keeps samples on the 8 kHz grid.
    private const int Taps = 65;
    private const double CutoffHz = 3800;
    private const double FilterRate = 16_000;

    // Immutable after type initialisation.
    private static readonly float[] Coefficients = DesignLowPass();

    // Delay line at 16 kHz, written at _position and again at _position + Taps so
    // the newest Taps samples are always contiguous.
    private readonly float[] _delay = new float[2 * Taps];
    private int _position;
    private bool _oddInput;

    private Resampler(int inputRate, int outputRate)
    {
        InputRate = inputRate;
        OutputRate = outputRate;
    }

    public int InputRate { get; }

    public int OutputRate { get; }

    /// <summary>A resampler from <paramref name="inputRate"/> to <paramref name="outputRate"/>: 16000 → 8000 or 8000 → 16000.</summary>
    public static Resampler Create(int inputRate, int outputRate)
    {
        if ((inputRate, outputRate) is not ((16_000, 8_000) or (8_000, 16_000)))
        {
            throw new ArgumentException($"Only 16000 → 8000 and 8000 → 16000 Hz are supported, not {inputRate} → {outputRate}.");
        }

        return new Resampler(inputRate, outputRate);
    }

    /// <summary>Resamples a whole signal at once (prompts, tests).</summary>
    public static short[] Convert(ReadOnlySpan<short> input, int inputRate, int outputRate)
    {
        var resampler = Create(inputRate, outputRate);
        var output = new short[resampler.MaxOutputLength(input.Length)];
        int written = resampler.Process(input, output);
        return written == output.Length ? output : output[..written];
    }

    /// <summary>The most samples <see cref="Process"/> can produce from <paramref name="inputLength"/> samples.</summary>
    public int MaxOutputLength(int inputLength) =>
        OutputRate > InputRate ? inputLength * 2 : (inputLength + 1) / 2;

    /// <summary>Feeds <paramref name="input"/> and writes the samples it yields.</summary>
    /// <returns>Samples written to <paramref name="output"/>.</returns>
    public int Process(ReadOnlySpan<short> input, Span<short> output)
    {
        if (output.Length < MaxOutputLength(input.Length))
        {
            throw new ArgumentException("The output span is too short for this input.", nameof(output));
        }

        int written = 0;
        if (OutputRate < InputRate)
        {
            foreach (short sample in input)
            {
                Push(sample);

                // Decimate: keep the filter output at every other input sample.
                _oddInput = !_oddInput;
                if (_oddInput)
                {
                    output[written++] = Saturate(Filter());
                }
            }
        }
        else
        {
            foreach (short sample in input)
            {
                // Interpolate: a zero between input samples, the filter removes the
                // image above 4 kHz, and the gain of 2 restores the level.
                Push(sample);
                output[written++] = Saturate(2 * Filter());
                Push(0);
                output[written++] = Saturate(2 * Filter());
            }
        }

        return written;
    }

    /// <summary>Forgets the signal so far, as for a new stream.</summary>
    public void Reset()
    {
        Array.Clear(_delay);
        _position = 0;
        _oddInput = false;
    }

    private void Push(float sample)
    {
        _position = _position == 0 ? Taps - 1 : _position - 1;
        _delay[_position] = sample;
        _delay[_position + Taps] = sample;
    }

    private float Filter()
    {
        ReadOnlySpan<float> window = _delay.AsSpan(_position, Taps);
        ReadOnlySpan<float> coefficients = Coefficients;
        float sum = 0;
        for (int i = 0; i < Taps; i++)
        {
            sum += window[i] * coefficients[i];
        }

        return sum;
    }

    private static short Saturate(float value) =>
        (short)Math.Clamp(MathF.Round(value), short.MinValue, short.MaxValue);

    private static float[] DesignLowPass()
    {
        var h = new double[Taps];
        const int middle = Taps / 2;
        double fc = CutoffHz / FilterRate;
        double sum = 0;
        for (int n = 0; n < Taps; n++)
        {
            int k = n - middle;
            double sinc = k == 0 ? 2 * fc : Math.Sin(2 * Math.PI * fc * k) / (Math.PI * k);
            double blackman = 0.42 - (0.5 * Math.Cos(2 * Math.PI * n / (Taps - 1))) + (0.08 * Math.Cos(4 * Math.PI * n / (Taps - 1)));
            h[n] = sinc * blackman;
            sum += h[n];
        }

        var coefficients = new float[Taps];
        for (int n = 0; n < Taps; n++)
        {
            coefficients[n] = (float)(h[n] / sum);
        }

        return coefficients;
    }
}
