namespace CallTracking.IntegrationTests.Infrastructure;

/// <summary>One SIP message from sipp's -trace_msg file: whether sipp sent or received it, and its text.</summary>
public sealed record TracedSipMessage(bool Received, string Text)
{
    public string StartLine => Text.Split("\r\n", 2)[0].TrimEnd('\n', '\r');

    public bool IsResponse => StartLine.StartsWith("SIP/2.0 ", StringComparison.Ordinal);

    /// <summary>The status code of a response, 0 for a request.</summary>
    public int StatusCode => IsResponse && int.TryParse(StartLine.AsSpan(8, 3), out var code) ? code : 0;

    /// <summary>The method of a request, or the method in the CSeq of a response.</summary>
    public string Method => IsResponse ? (Header("CSeq")?.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? string.Empty) : StartLine.Split(' ')[0];

    public string? CallId => Header("Call-ID");

    public string Head => Text.Split("\r\n\r\n", 2)[0];

    public string Body => Text.Split("\r\n\r\n", 2) is [_, var body] ? body : string.Empty;

    /// <summary>Every value of the header, in order (full name, case-insensitive; one value per header line).</summary>
    public IReadOnlyList<string> Headers(string name)
    {
        var values = new List<string>();
        foreach (var line in Head.Split("\r\n").Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                values.Add(line[(colon + 1)..].Trim());
            }
        }

        return values;
    }

    public string? Header(string name) => Headers(name) is [var first, ..] ? first : null;

    /// <summary>The SDP lines of the body (without CR/LF).</summary>
    public IReadOnlyList<string> SdpLines => Body.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToArray();

    public override string ToString() => (Received ? "<<< received\n" : ">>> sent\n") + Text;
}
