using System.Buffers;
using System.Text;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Parsing;

namespace CallTracking.Tests.Sip.Parsing;

/// <summary>Parses and reduces a message to a comparable text, so differently segmented inputs can be compared.</summary>
internal static class SipParseHarness
{
    public static string Parse(in ReadOnlySequence<byte> input, bool isDatagram, SipMessage into)
    {
        SipParseStatus status = SipParser.TryParse(input, isDatagram, into, out SequencePosition consumed, out SipParseError error);
        return $"{status} {error} consumed={input.Slice(input.Start, consumed).Length}\n{Project(into)}";
    }

    public static string Project(SipMessage m)
    {
        var sb = new StringBuilder();
        sb.Append(m.IsRequest ? "REQ " : m.IsResponse ? "RES " : "??? ")
          .Append(m.Method).Append(' ').Append(Text(m.MethodToken)).Append(' ').Append(Text(m.RequestUri)).Append(' ')
          .Append(m.StatusCode).Append(' ').Append(Text(m.ReasonPhrase)).Append('\n');
        for (int i = 0; i < m.HeaderCount; i++)
        {
            sb.Append(m.GetHeaderKind(i)).Append('|').Append(Text(m.GetHeaderName(i))).Append('|').Append(Text(m.GetHeaderValue(i))).Append('\n');
        }
        ViaHeader via = m.TopVia;
        sb.Append("callid=").Append(Text(m.CallId))
          .Append(" cseq=").Append(m.CSeqNumber).Append(' ').Append(m.CSeqMethod).Append(' ').Append(Text(m.CSeqMethodToken))
          .Append(" ftag=").Append(Text(m.FromTag)).Append(" ttag=").Append(Text(m.ToTag))
          .Append(" mf=").Append(m.MaxForwards).Append(" cl=").Append(m.ContentLength)
          .Append(" via=").Append(Text(via.SentBy)).Append(' ').Append(Text(via.Branch)).Append('\n')
          .Append("body=").Append(Text(m.Body)).Append('\n')
          .Append("raw=").Append(Text(m.Raw));
        return sb.ToString();
    }

    public static string Text(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
