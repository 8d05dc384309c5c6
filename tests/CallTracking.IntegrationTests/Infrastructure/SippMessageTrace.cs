namespace CallTracking.IntegrationTests.Infrastructure;

/// <summary>
/// Reads sipp's -trace_msg file: entries start with a line of dashes and a time stamp, then
/// "UDP message received [N] bytes :" or "TCP message sent (N bytes):", an empty line, and the message.
/// </summary>
public static class SippMessageTrace
{
    private const string Separator = "----------------------------------------------- ";

    public static IReadOnlyList<TracedSipMessage> Parse(string trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var messages = new List<TracedSipMessage>();
        foreach (var entry in trace.Replace("\r\n", "\n", StringComparison.Ordinal).Split(Separator).Skip(1))
        {
            var lines = entry.Split('\n');
            if (lines.Length < 3)
            {
                continue;
            }

            var kind = lines[1];
            var received = kind.Contains("received", StringComparison.Ordinal);
            if (!received && !kind.Contains("sent", StringComparison.Ordinal))
            {
                continue;
            }

            // Header lines up to the blank line, then the body; rebuilt with CRLF so that Head and Body split.
            var message = lines.Skip(3).ToList();
            var blank = message.FindIndex(l => l.Length == 0);
            if (blank < 0)
            {
                continue;
            }

            var head = string.Join("\r\n", message.Take(blank));
            var body = string.Join("\r\n", message.Skip(blank + 1)).TrimEnd('\r', '\n');
            messages.Add(new TracedSipMessage(received, head + "\r\n\r\n" + (body.Length > 0 ? body + "\r\n" : string.Empty)));
        }

        return messages;
    }
}
