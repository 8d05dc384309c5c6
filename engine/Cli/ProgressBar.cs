using System.Globalization;

namespace CallTracking.Engine.Cli;

/// <summary>
/// A one-line text progress bar (<c>label [#######.......] 7/15</c>), redrawn in place with a carriage return;
/// <see cref="Finish"/> ends the line. Reports come from the awaiting thread, one at a time.
/// </summary>
internal sealed class ProgressBar(TextWriter output, string label) : IProgress<(int Done, int Total)>, IProgress<(long Done, long Total)>
{
    private const int Width = 30;
    private bool _drawn;

    public void Report((int Done, int Total) value) => Report(((long)value.Done, (long)value.Total));

    public void Report((long Done, long Total) value)
    {
        var filled = value.Total <= 0 ? Width : (int)(Width * Math.Clamp(value.Done, 0, value.Total) / value.Total);
        output.Write(string.Create(CultureInfo.InvariantCulture, $"\r{label} [{new string('#', filled)}{new string('.', Width - filled)}] {value.Done}/{value.Total}"));
        output.Flush();
        _drawn = true;
    }

    public void Finish()
    {
        if (_drawn)
        {
            output.WriteLine();
        }
    }
}
