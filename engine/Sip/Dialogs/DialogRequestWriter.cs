using System.Buffers;
using System.Text;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Writing;

namespace CallTracking.Engine.Sip.Dialogs;

/// <summary>
/// Writes a request inside a dialog as RFC 3261 §12.2.1.1 says: Request-URI and Route headers from the remote
/// target and the route set (loose routing when the first route has <c>lr</c>, strict routing otherwise),
/// From/To/Call-ID from the dialog.
/// </summary>
public static class DialogRequestWriter
{
    /// <param name="viaLine">Our complete Via value, branch included (the caller owns branch generation).</param>
    public static void Write(
        IBufferWriter<byte> output,
        Dialog dialog,
        SipMethod method,
        uint cseq,
        string viaLine,
        string contact,
        string userAgent,
        string extraHeaderLines,
        ReadOnlySpan<byte> contentType,
        ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(dialog);
        var (requestUri, routes, _) = Plan(dialog);
        var writer = new SipWriter(output);
        writer.WriteRequestLine(method, Encoding.ASCII.GetBytes(requestUri));
        writer.WriteHeader("Via"u8, Encoding.ASCII.GetBytes(viaLine));
        writer.WriteHeader("Max-Forwards"u8, 70);
        foreach (var route in routes)
        {
            writer.WriteHeader("Route"u8, Encoding.ASCII.GetBytes(route));
        }

        writer.WriteHeader("From"u8, Encoding.ASCII.GetBytes(dialog.LocalParty));
        writer.WriteHeader("To"u8, Encoding.ASCII.GetBytes(dialog.RemoteParty));
        writer.WriteHeader("Call-ID"u8, Encoding.ASCII.GetBytes(dialog.Id.CallId));
        Span<byte> cseqValue = stackalloc byte[32];
        cseq.TryFormat(cseqValue, out var digits, provider: System.Globalization.CultureInfo.InvariantCulture);
        cseqValue[digits] = (byte)' ';
        var methodName = SipMethods.GetName(method);
        methodName.CopyTo(cseqValue[(digits + 1)..]);
        writer.WriteHeader("CSeq"u8, cseqValue[..(digits + 1 + methodName.Length)]);
        if (contact.Length > 0)
        {
            writer.WriteHeader("Contact"u8, Encoding.ASCII.GetBytes(contact));
        }

        writer.WriteHeader("User-Agent"u8, Encoding.ASCII.GetBytes(userAgent));
        if (extraHeaderLines.Length > 0)
        {
            writer.WriteRaw(Encoding.ASCII.GetBytes(extraHeaderLines));
        }

        writer.EndHeaders(contentType, body);
    }

    /// <summary>
    /// RFC 3261 §12.2.1.1: the Request-URI and Route headers for the dialog's next request, and the URI it is sent
    /// to first (the first loose route, else the Request-URI).
    /// </summary>
    public static (string RequestUri, IReadOnlyList<string> Routes, string FirstHop) Plan(Dialog dialog)
    {
        ArgumentNullException.ThrowIfNull(dialog);
        var routeSet = dialog.RouteSet;
        if (routeSet.Count == 0)
        {
            return (dialog.RemoteTarget, [], dialog.RemoteTarget);
        }

        if (IsLooseRoute(routeSet[0]))
        {
            return (dialog.RemoteTarget, routeSet, UriOf(routeSet[0]));
        }

        // Strict routing (RFC 2543 proxies): the first route becomes the Request-URI and the remote target
        // goes last in the Route header.
        var routes = new List<string>(routeSet.Count);
        for (var i = 1; i < routeSet.Count; i++)
        {
            routes.Add(routeSet[i]);
        }

        routes.Add("<" + dialog.RemoteTarget + ">");
        var requestUri = UriOf(routeSet[0]);
        return (requestUri, routes, requestUri);
    }

    private static bool IsLooseRoute(string route)
    {
        var bytes = Encoding.ASCII.GetBytes(route);
        return NameAddr.TryParse(bytes, out var nameAddr)
            && SipUri.TryParse(nameAddr.Uri, out var uri)
            && uri.TryGetParameter("lr"u8, out _);
    }

    private static string UriOf(string route)
    {
        var bytes = Encoding.ASCII.GetBytes(route);
        return NameAddr.TryParse(bytes, out var nameAddr) ? Encoding.ASCII.GetString(nameAddr.Uri) : route;
    }
}
