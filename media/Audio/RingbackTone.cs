namespace CallTracking.Media.Audio;

/// <summary>
/// North American ringback (ANSI T1.401 / Telcordia GR-506): 440 Hz + 480 Hz, 2 s on, 4 s off, at 8 kHz. One per
/// leg, used by the thread that ticks it; <see cref="Fill"/> allocates nothing (one period is tabulated once).
/// </summary>
internal struct RingbackTone
{
    public const int SampleRate = 8000;
    public const int OnSamples = 2 * SampleRate;
    public const int CadenceSamples = 6 * SampleRate;

    // 440 and 480 Hz share a 40 Hz fundamental: their sum repeats every 200 samples at 8 kHz.
    private const int Period = SampleRate / 40;

    // About -19 dBm0 per tone, the level the standard gives.
    private const double Amplitude = 0.1 * short.MaxValue;

    private static readonly short[] OnePeriod = Tabulate();

    private int _position;

    /// <summary>Back to the start of a ring.</summary>
    public void Restart() => _position = 0;

    /// <summary>The next <paramref name="destination"/>.Length samples of the cadence (tone or silence).</summary>
    public void Fill(Span<short> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = _position < OnSamples ? OnePeriod[_position % Period] : (short)0;
            _position = _position + 1 == CadenceSamples ? 0 : _position + 1;
        }
    }

    private static short[] Tabulate()
    {
        var table = new short[Period];
        for (var n = 0; n < Period; n++)
        {
            var t = (double)n / SampleRate;
            table[n] = (short)Math.Round(Amplitude * (Math.Sin(2 * Math.PI * 440 * t) + Math.Sin(2 * Math.PI * 480 * t)));
        }

        return table;
    }
}
