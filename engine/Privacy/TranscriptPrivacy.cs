using CallTracking.Engine.Transcription;

namespace CallTracking.Engine.Privacy;

/// <summary>
/// What happens to a transcript before it is stored: segments that overlap a paused span of the recording (PCI
/// pause) become <see cref="PausedText"/>; every other segment is redacted (<see cref="TranscriptRedactor"/>), a
/// speaker's consecutive segments together so context and digits may cross a segment boundary.
/// </summary>
public static class TranscriptPrivacy
{
    public const string PausedText = "[paused]";

    /// <summary>The segments to store, and the audio spans (recording time, per speaker) that held redacted words.</summary>
    public static (IReadOnlyList<TranscriptSegment> Segments, IReadOnlyList<(Speaker Speaker, long StartMs, long EndMs, string Label)> AudioSpans) Apply(
        IReadOnlyList<TranscriptSegment> segments,
        IReadOnlyList<(long StartMs, long EndMs)> pausedSpans)
    {
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(pausedSpans);
        var output = segments.ToArray();
        var audio = new List<(Speaker, long, long, string)>();
        for (var i = 0; i < output.Length; i++)
        {
            var s = output[i];
            if (pausedSpans.Any(p => s.StartMs < p.EndMs && p.StartMs < s.EndMs))
            {
                output[i] = s with { Text = PausedText };
            }
        }

        foreach (var speaker in output.Select(s => s.Speaker).Distinct().ToList())
        {
            var indexes = Enumerable.Range(0, output.Length).Where(i => output[i].Speaker == speaker && output[i].Text != PausedText).ToList();
            if (indexes.Count == 0)
            {
                continue;
            }

            // One text per speaker, segments joined by a space; each segment's offset in it.
            var offsets = new int[indexes.Count];
            var joined = new System.Text.StringBuilder();
            for (var k = 0; k < indexes.Count; k++)
            {
                if (k > 0)
                {
                    joined.Append(' ');
                }

                offsets[k] = joined.Length;
                joined.Append(output[indexes[k]].Text);
            }

            var redacted = TranscriptRedactor.Redact(joined.ToString());
            if (!redacted.Changed)
            {
                continue;
            }

            for (var k = 0; k < indexes.Count; k++)
            {
                var segment = output[indexes[k]];
                var from = offsets[k];
                var to = from + segment.Text.Length;
                var inside = redacted.Redactions.Where(r => r.Start < to && from < r.End).ToList();
                if (inside.Count == 0)
                {
                    continue;
                }

                var text = new System.Text.StringBuilder();
                var at = 0;
                foreach (var r in inside)
                {
                    var start = Math.Max(r.Start, from) - from;
                    var end = Math.Min(r.End, to) - from;
                    text.Append(segment.Text, at, start - at).Append(r.Label);
                    at = end;

                    // Segment timestamps only: the words' times are estimated by their place in the segment's text.
                    var length = Math.Max(1, segment.Text.Length);
                    var duration = segment.EndMs - segment.StartMs;
                    audio.Add((speaker, segment.StartMs + (duration * start / length), segment.StartMs + (duration * end / length), r.Label));
                }

                text.Append(segment.Text, at, segment.Text.Length - at);
                output[indexes[k]] = segment with { Text = text.ToString() };
            }
        }

        return (output, audio);
    }
}
