using System.Globalization;

namespace CallTracking.Engine.Sip.Sdp;

/// <summary>
/// Strict SDP parser (RFC 8866 §5, §9). Every refusal is a message naming the line;
/// nothing here throws on input. Within a section lines may come in any order, but a
/// line type that belongs elsewhere, an unknown type letter (RFC 8866 §5: the whole
/// description must then be ignored) or a malformed value is an error.
/// </summary>
internal static class SdpParser
{
    private const string SessionOnlyTypes = "vosuepz" + "tr";
    private const string MediaTypes = "icbka";

    public static SdpParseResult Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return SdpParseResult.Fail("the SDP body is empty");
        }

        var lines = text.Split('\n');
        var count = lines.Length;
        for (var i = 0; i < count; i++)
        {
            if (lines[i].EndsWith('\r'))
            {
                lines[i] = lines[i][..^1];
            }
        }

        // A trailing line end (or a few) is normal; an empty line inside is not.
        while (count > 0 && lines[count - 1].Length == 0)
        {
            count--;
        }

        if (count < 3 || lines[0] != "v=0")
        {
            return Fail(1, "expected v=0");
        }

        if (!lines[1].StartsWith("o=", StringComparison.Ordinal) || !TryParseOrigin(lines[1][2..], out var origin))
        {
            return Fail(2, "expected o=<username> <sess-id> <sess-version> <nettype> <addrtype> <address>");
        }

        if (!lines[2].StartsWith("s=", StringComparison.Ordinal) || lines[2].Length == 2)
        {
            return Fail(3, "expected s= with a session name (use s=- for none)");
        }

        var session = new SessionDescription(origin) { SessionName = lines[2][2..] };
        MediaDescription? media = null;
        for (var i = 3; i < count; i++)
        {
            var line = lines[i];
            var number = i + 1;
            if (line.Length < 2 || line[1] != '=' || !char.IsAsciiLetterLower(line[0]))
            {
                return Fail(number, line.Length == 0 ? "is empty" : "expected <type>=<value>");
            }

            if (line.AsSpan(2).ContainsAnyInRange('\0', '\u001f'))
            {
                return Fail(number, "contains control characters");
            }

            var type = line[0];
            var value = line[2..];
            if (type == 'm')
            {
                if (!TryParseMedia(value, out media, out var mediaError))
                {
                    return Fail(number, mediaError);
                }

                session.Media.Add(media);
                continue;
            }

            if (!(SessionOnlyTypes + MediaTypes).Contains(type, StringComparison.Ordinal))
            {
                return Fail(number, $"unknown line type '{type}='");
            }

            if (type is 'v' or 'o' or 's' || (media is not null && !MediaTypes.Contains(type, StringComparison.Ordinal)))
            {
                return Fail(number, $"'{type}=' is not allowed here");
            }

            switch (type)
            {
                case 'c':
                    if (!TryParseConnection(value, out var connection))
                    {
                        return Fail(number, "expected c=<nettype> <addrtype> <address>");
                    }

                    if ((media is null ? session.Connection : media.Connection) is not null)
                    {
                        return Fail(number, "a second c= in the same section");
                    }

                    if (media is null)
                    {
                        session.Connection = connection;
                    }
                    else
                    {
                        media.Connection = connection;
                    }

                    break;

                case 't':
                    if (!TryParseTiming(value))
                    {
                        return Fail(number, "expected t=<start-time> <stop-time>");
                    }

                    session.Timings.Add(value);
                    break;

                case 'a':
                    if (!TryParseAttribute(value, out var attribute, out var attributeError))
                    {
                        return Fail(number, attributeError);
                    }

                    (media?.Attributes ?? session.Attributes).Add(attribute);
                    break;

                default:
                    (media?.OtherFields ?? session.OtherFields).Add(new SdpField(type, value));
                    break;
            }
        }

        if (session.Timings.Count == 0)
        {
            return SdpParseResult.Fail("no t= line (RFC 8866 §5.9 requires one)");
        }

        foreach (var m in session.Media)
        {
            // RFC 8866 §5.7: every media needs a c=, its own or the session's. A rejected stream carries none usefully.
            if (m.Port != 0 && m.Connection is null && session.Connection is null)
            {
                return SdpParseResult.Fail($"m={m.Media} has no c= line and there is no session-level c=");
            }
        }

        return SdpParseResult.Ok(session);
    }

    private static SdpParseResult Fail(int line, string message) =>
        SdpParseResult.Fail(string.Create(CultureInfo.InvariantCulture, $"line {line}: {message}"));

    private static bool TryParseOrigin(string value, out SdpOrigin origin)
    {
        origin = null!;
        var f = value.Split(' ');
        if (f.Length != 6 || f.Any(string.IsNullOrEmpty) || !IsDigits(f[1]) || !IsDigits(f[2]))
        {
            return false;
        }

        origin = new SdpOrigin(f[0], f[1], f[2], f[3], f[4], f[5]);
        return true;
    }

    private static bool TryParseConnection(string value, out SdpConnection connection)
    {
        connection = null!;
        var f = value.Split(' ');
        if (f.Length != 3 || f.Any(string.IsNullOrEmpty))
        {
            return false;
        }

        connection = new SdpConnection(f[0], f[1], f[2]);
        return true;
    }

    private static bool TryParseTiming(string value)
    {
        var f = value.Split(' ');
        return f.Length == 2 && IsDigits(f[0]) && IsDigits(f[1]);
    }

    private static bool TryParseMedia(string value, out MediaDescription media, out string error)
    {
        media = null!;
        error = "expected m=<media> <port> <proto> <fmt> …";
        var f = value.Split(' ');
        if (f.Length < 4 || f.Any(string.IsNullOrEmpty))
        {
            return false;
        }

        var portText = f[1].AsSpan();
        int? portCount = null;
        var slash = portText.IndexOf('/');
        if (slash >= 0)
        {
            if (!int.TryParse(portText[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n == 0)
            {
                error = "m= port count must be a positive number";
                return false;
            }

            portCount = n;
            portText = portText[..slash];
        }

        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            error = "m= port must be 0-65535";
            return false;
        }

        media = new MediaDescription(f[0], port, f[2], f.Skip(3)) { PortCount = portCount };
        return true;
    }

    private static bool TryParseAttribute(string value, out SdpAttribute attribute, out string error)
    {
        attribute = null!;
        error = string.Empty;
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? value : value[..colon];
        if (name.Length == 0 || name.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.')))
        {
            error = "expected a=<name> or a=<name>:<value>";
            return false;
        }

        var attributeValue = colon < 0 ? null : value[(colon + 1)..];
        switch (name.ToLowerInvariant())
        {
            case "rtpmap" when !SdpRtpMap.TryParse(attributeValue, out _):
                error = "expected a=rtpmap:<payload type> <encoding name>/<clock rate>[/<channels>]";
                return false;
            case "fmtp" when attributeValue is null || attributeValue.Length == 0 || attributeValue[0] == ' ':
                error = "expected a=fmtp:<format> <parameters>";
                return false;
            case "ptime" or "maxptime" when !decimal.TryParse(attributeValue, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var ms) || ms <= 0:
                error = $"a={name} must be a positive number of milliseconds";
                return false;
        }

        attribute = new SdpAttribute(name, attributeValue);
        return true;
    }

    private static bool IsDigits(string text) => text.Length > 0 && !text.AsSpan().ContainsAnyExceptInRange('0', '9');
}
