namespace CallTracking.Media.Audio;

/// <summary>
/// In-band DTMF (ITU-T Q.23): the dual tone of one key at 8 kHz, for a peer that negotiated no RFC 4733
/// telephone-event. One per leg, used by the thread that ticks it; nothing is allocated.
/// </summary>
internal struct DtmfTone
{
    public const int SampleRate = 8000;

    private static readonly short[] Rows = [697, 770, 852, 941];
    private static readonly short[] Columns = [1209, 1336, 1477, 1633];

    // Each tone about -7 dBm0 (Q.23 allows -10 ± 3 per frequency, high group slightly louder is fine at equal level).
    private const double Amplitude = 0.25 * short.MaxValue;

    private double _low;
    private double _high;
    private int _position;

    /// <summary>Starts the tone of <paramref name="digit"/> (0-9, *, #, A-D); false for anything else.</summary>
    public bool Start(char digit)
    {
        int row, column;
        switch (char.ToUpperInvariant(digit))
        {
            case >= '1' and <= '9':
                row = (digit - '1') / 3;
                column = (digit - '1') % 3;
                break;
            case '0':
                (row, column) = (3, 1);
                break;
            case '*':
                (row, column) = (3, 0);
                break;
            case '#':
                (row, column) = (3, 2);
                break;
            case >= 'A' and <= 'D':
                (row, column) = (char.ToUpperInvariant(digit) - 'A', 3);
                break;
            default:
                return false;
        }

        _low = Rows[row];
        _high = Columns[column];
        _position = 0;
        return true;
    }

    /// <summary>The next <paramref name="destination"/>.Length samples of the tone.</summary>
    public void Fill(Span<short> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            var t = (double)_position++ / SampleRate;
            destination[i] = (short)Math.Round(Amplitude * (Math.Sin(2 * Math.PI * _low * t) + Math.Sin(2 * Math.PI * _high * t)));
        }
    }
}
