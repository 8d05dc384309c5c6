using System.Text;

namespace CallTracking.Engine.Sip.Messages;

/// <summary>Maps header names to <see cref="HeaderKind"/> and back without allocating.</summary>
public static class HeaderKinds
{
    /// <summary>
    /// The kind of a header name. Names are case-insensitive (RFC 3261 §7.3.1); one-letter
    /// names are compact forms (RFC 3261 §7.3.3, RFC 3515 r, RFC 4028 x, RFC 6665 o/u, RFC 3892 b).
    /// </summary>
    public static HeaderKind Lookup(ReadOnlySpan<byte> name)
    {
        // Switch on length first so each name costs at most a handful of compares.
        switch (name.Length)
        {
            case 1: return Compact(name[0]);
            case 2: return Is(name, "To"u8) ? HeaderKind.To : HeaderKind.Other;
            case 3: return Is(name, "Via"u8) ? HeaderKind.Via : HeaderKind.Other;
            case 4:
                if (Is(name, "From"u8)) return HeaderKind.From;
                if (Is(name, "CSeq"u8)) return HeaderKind.CSeq;
                if (Is(name, "Date"u8)) return HeaderKind.Date;
                if (Is(name, "RSeq"u8)) return HeaderKind.RSeq;
                if (Is(name, "RAck"u8)) return HeaderKind.RAck;
                if (Is(name, "Path"u8)) return HeaderKind.Path;
                return HeaderKind.Other;
            case 5:
                if (Is(name, "Route"u8)) return HeaderKind.Route;
                if (Is(name, "Allow"u8)) return HeaderKind.Allow;
                if (Is(name, "Event"u8)) return HeaderKind.Event;
                return HeaderKind.Other;
            case 6:
                if (Is(name, "Reason"u8)) return HeaderKind.Reason;
                if (Is(name, "Server"u8)) return HeaderKind.Server;
                if (Is(name, "Accept"u8)) return HeaderKind.Accept;
                if (Is(name, "Min-SE"u8)) return HeaderKind.MinSE;
                return HeaderKind.Other;
            case 7:
                if (Is(name, "Call-ID"u8)) return HeaderKind.CallId;
                if (Is(name, "Contact"u8)) return HeaderKind.Contact;
                if (Is(name, "Expires"u8)) return HeaderKind.Expires;
                if (Is(name, "Require"u8)) return HeaderKind.Require;
                if (Is(name, "Subject"u8)) return HeaderKind.Subject;
                if (Is(name, "Privacy"u8)) return HeaderKind.Privacy;
                if (Is(name, "Warning"u8)) return HeaderKind.Warning;
                return HeaderKind.Other;
            case 8:
                if (Is(name, "Refer-To"u8)) return HeaderKind.ReferTo;
                if (Is(name, "Priority"u8)) return HeaderKind.Priority;
                if (Is(name, "Reply-To"u8)) return HeaderKind.ReplyTo;
                if (Is(name, "Replaces"u8)) return HeaderKind.Replaces;
                if (Is(name, "Identity"u8)) return HeaderKind.Identity;
                return HeaderKind.Other;
            case 9:
                if (Is(name, "Supported"u8)) return HeaderKind.Supported;
                if (Is(name, "Diversion"u8)) return HeaderKind.Diversion;
                if (Is(name, "Timestamp"u8)) return HeaderKind.Timestamp;
                if (Is(name, "Call-Info"u8)) return HeaderKind.CallInfo;
                return HeaderKind.Other;
            case 10:
                if (Is(name, "User-Agent"u8)) return HeaderKind.UserAgent;
                if (Is(name, "Alert-Info"u8)) return HeaderKind.AlertInfo;
                if (Is(name, "Error-Info"u8)) return HeaderKind.ErrorInfo;
                return HeaderKind.Other;
            case 11:
                if (Is(name, "Unsupported"u8)) return HeaderKind.Unsupported;
                if (Is(name, "Referred-By"u8)) return HeaderKind.ReferredBy;
                if (Is(name, "In-Reply-To"u8)) return HeaderKind.InReplyTo;
                if (Is(name, "Min-Expires"u8)) return HeaderKind.MinExpires;
                if (Is(name, "Retry-After"u8)) return HeaderKind.RetryAfter;
                return HeaderKind.Other;
            case 12:
                if (Is(name, "Max-Forwards"u8)) return HeaderKind.MaxForwards;
                if (Is(name, "Content-Type"u8)) return HeaderKind.ContentType;
                if (Is(name, "Record-Route"u8)) return HeaderKind.RecordRoute;
                if (Is(name, "Allow-Events"u8)) return HeaderKind.AllowEvents;
                if (Is(name, "Organization"u8)) return HeaderKind.Organization;
                if (Is(name, "MIME-Version"u8)) return HeaderKind.MimeVersion;
                return HeaderKind.Other;
            case 13:
                if (Is(name, "Proxy-Require"u8)) return HeaderKind.ProxyRequire;
                if (Is(name, "Authorization"u8)) return HeaderKind.Authorization;
                if (Is(name, "Service-Route"u8)) return HeaderKind.ServiceRoute;
                return HeaderKind.Other;
            case 14: return Is(name, "Content-Length"u8) ? HeaderKind.ContentLength : HeaderKind.Other;
            case 15:
                if (Is(name, "Session-Expires"u8)) return HeaderKind.SessionExpires;
                if (Is(name, "Accept-Encoding"u8)) return HeaderKind.AcceptEncoding;
                if (Is(name, "Accept-Language"u8)) return HeaderKind.AcceptLanguage;
                if (Is(name, "Remote-Party-ID"u8)) return HeaderKind.RemotePartyId;
                return HeaderKind.Other;
            case 16:
                if (Is(name, "Content-Encoding"u8)) return HeaderKind.ContentEncoding;
                if (Is(name, "WWW-Authenticate"u8)) return HeaderKind.WwwAuthenticate;
                return HeaderKind.Other;
            case 18: return Is(name, "Proxy-Authenticate"u8) ? HeaderKind.ProxyAuthenticate : HeaderKind.Other;
            case 19:
                if (Is(name, "P-Asserted-Identity"u8)) return HeaderKind.PAssertedIdentity;
                if (Is(name, "Proxy-Authorization"u8)) return HeaderKind.ProxyAuthorization;
                if (Is(name, "Content-Disposition"u8)) return HeaderKind.ContentDisposition;
                if (Is(name, "Authentication-Info"u8)) return HeaderKind.AuthenticationInfo;
                return HeaderKind.Other;
            case 20: return Is(name, "P-Preferred-Identity"u8) ? HeaderKind.PPreferredIdentity : HeaderKind.Other;
            default: return HeaderKind.Other;
        }
    }

    /// <summary>The canonical spelling of a kind's name as sent on the wire; empty for <see cref="HeaderKind.Other"/>.</summary>
    public static ReadOnlySpan<byte> GetName(HeaderKind kind) => kind switch
    {
        HeaderKind.Via => "Via"u8,
        HeaderKind.From => "From"u8,
        HeaderKind.To => "To"u8,
        HeaderKind.CallId => "Call-ID"u8,
        HeaderKind.CSeq => "CSeq"u8,
        HeaderKind.MaxForwards => "Max-Forwards"u8,
        HeaderKind.ContentLength => "Content-Length"u8,
        HeaderKind.ContentType => "Content-Type"u8,
        HeaderKind.Contact => "Contact"u8,
        HeaderKind.RecordRoute => "Record-Route"u8,
        HeaderKind.Route => "Route"u8,
        HeaderKind.Require => "Require"u8,
        HeaderKind.ProxyRequire => "Proxy-Require"u8,
        HeaderKind.Supported => "Supported"u8,
        HeaderKind.Unsupported => "Unsupported"u8,
        HeaderKind.Allow => "Allow"u8,
        HeaderKind.SessionExpires => "Session-Expires"u8,
        HeaderKind.MinSE => "Min-SE"u8,
        HeaderKind.Reason => "Reason"u8,
        HeaderKind.UserAgent => "User-Agent"u8,
        HeaderKind.Server => "Server"u8,
        HeaderKind.Subject => "Subject"u8,
        HeaderKind.ContentEncoding => "Content-Encoding"u8,
        HeaderKind.Event => "Event"u8,
        HeaderKind.ReferTo => "Refer-To"u8,
        HeaderKind.AllowEvents => "Allow-Events"u8,
        HeaderKind.Authorization => "Authorization"u8,
        HeaderKind.ProxyAuthorization => "Proxy-Authorization"u8,
        HeaderKind.WwwAuthenticate => "WWW-Authenticate"u8,
        HeaderKind.ProxyAuthenticate => "Proxy-Authenticate"u8,
        HeaderKind.Diversion => "Diversion"u8,
        HeaderKind.PAssertedIdentity => "P-Asserted-Identity"u8,
        HeaderKind.Privacy => "Privacy"u8,
        HeaderKind.Accept => "Accept"u8,
        HeaderKind.Timestamp => "Timestamp"u8,
        HeaderKind.Date => "Date"u8,
        HeaderKind.Expires => "Expires"u8,
        HeaderKind.Organization => "Organization"u8,
        HeaderKind.Priority => "Priority"u8,
        HeaderKind.ReplyTo => "Reply-To"u8,
        HeaderKind.Warning => "Warning"u8,
        HeaderKind.ReferredBy => "Referred-By"u8,
        HeaderKind.Replaces => "Replaces"u8,
        HeaderKind.RSeq => "RSeq"u8,
        HeaderKind.RAck => "RAck"u8,
        HeaderKind.ContentDisposition => "Content-Disposition"u8,
        HeaderKind.AcceptEncoding => "Accept-Encoding"u8,
        HeaderKind.AcceptLanguage => "Accept-Language"u8,
        HeaderKind.AlertInfo => "Alert-Info"u8,
        HeaderKind.CallInfo => "Call-Info"u8,
        HeaderKind.ErrorInfo => "Error-Info"u8,
        HeaderKind.InReplyTo => "In-Reply-To"u8,
        HeaderKind.MimeVersion => "MIME-Version"u8,
        HeaderKind.MinExpires => "Min-Expires"u8,
        HeaderKind.RetryAfter => "Retry-After"u8,
        HeaderKind.AuthenticationInfo => "Authentication-Info"u8,
        HeaderKind.Path => "Path"u8,
        HeaderKind.ServiceRoute => "Service-Route"u8,
        HeaderKind.PPreferredIdentity => "P-Preferred-Identity"u8,
        HeaderKind.RemotePartyId => "Remote-Party-ID"u8,
        HeaderKind.Identity => "Identity"u8,
        _ => default,
    };

    private static HeaderKind Compact(byte c) => (c | 0x20) switch
    {
        'i' => HeaderKind.CallId,
        'm' => HeaderKind.Contact,
        'v' => HeaderKind.Via,
        'f' => HeaderKind.From,
        't' => HeaderKind.To,
        'l' => HeaderKind.ContentLength,
        'c' => HeaderKind.ContentType,
        'k' => HeaderKind.Supported,
        's' => HeaderKind.Subject,
        'e' => HeaderKind.ContentEncoding,
        'o' => HeaderKind.Event,
        'r' => HeaderKind.ReferTo,
        'u' => HeaderKind.AllowEvents,
        'x' => HeaderKind.SessionExpires,
        'b' => HeaderKind.ReferredBy,
        'y' => HeaderKind.Identity,
        _ => HeaderKind.Other,
    };

    private static bool Is(ReadOnlySpan<byte> name, ReadOnlySpan<byte> known) => Ascii.EqualsIgnoreCase(name, known);
}
