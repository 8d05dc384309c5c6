using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace CallTracking.Engine.Sip.Outbound.Dns;

/// <summary>
/// Reads a DNS response (RFC 1035 §4.1) without trusting it: every length is checked against the message, name
/// compression pointers (§4.1.4) are followed a bounded number of times, and anything wrong is an error value.
/// Unknown record types are skipped.
/// </summary>
public static class DnsMessageReader
{
    private const int HeaderLength = 12;
    private const int MaxPointerJumps = 32;
    private const int MaxNameLength = 255;

    public static bool TryRead(ReadOnlySpan<byte> message, out DnsResponse? response, out DnsParseError error)
    {
        response = null;
        if (message.Length < HeaderLength)
        {
            error = DnsParseError.TooShort;
            return false;
        }

        var id = BinaryPrimitives.ReadUInt16BigEndian(message);
        var flags = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        if ((flags & 0x8000) == 0)
        {
            error = DnsParseError.NotAResponse;
            return false;
        }

        var questions = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        var answers = BinaryPrimitives.ReadUInt16BigEndian(message[6..]);
        var authorities = BinaryPrimitives.ReadUInt16BigEndian(message[8..]);
        var additional = BinaryPrimitives.ReadUInt16BigEndian(message[10..]);
        var truncated = (flags & 0x0200) != 0;
        var code = (DnsResponseCode)(flags & 0x000F);
        var position = HeaderLength;
        for (var i = 0; i < questions; i++)
        {
            if (!TryReadName(message, ref position, out _, out error))
            {
                return false;
            }

            if (position + 4 > message.Length)
            {
                error = DnsParseError.RecordTruncated;
                return false;
            }

            position += 4;
        }

        var answerRecords = new List<DnsRecord>(answers);
        var additionalRecords = new List<DnsRecord>();
        var total = answers + authorities + additional;
        for (var i = 0; i < total; i++)
        {
            if (!TryReadRecord(message, ref position, out var record, out error))
            {
                // A truncated response (TC) may end mid-record: keep what was complete.
                if (truncated && error == DnsParseError.RecordTruncated)
                {
                    break;
                }

                return false;
            }

            if (record is null)
            {
                continue;
            }

            if (i < answers)
            {
                answerRecords.Add(record);
            }
            else if (i >= answers + authorities)
            {
                additionalRecords.Add(record);
            }
        }

        response = new DnsResponse(id, code, truncated, answerRecords, additionalRecords);
        error = DnsParseError.None;
        return true;
    }

    private static bool TryReadRecord(ReadOnlySpan<byte> message, ref int position, out DnsRecord? record, out DnsParseError error)
    {
        record = null;
        if (!TryReadName(message, ref position, out var name, out error))
        {
            return false;
        }

        if (position + 10 > message.Length)
        {
            error = DnsParseError.RecordTruncated;
            return false;
        }

        var type = BinaryPrimitives.ReadUInt16BigEndian(message[position..]);
        var ttl = BinaryPrimitives.ReadUInt32BigEndian(message[(position + 4)..]);
        var length = BinaryPrimitives.ReadUInt16BigEndian(message[(position + 8)..]);
        position += 10;
        if (position + length > message.Length)
        {
            error = DnsParseError.RecordTruncated;
            return false;
        }

        var dataStart = position;
        var data = message.Slice(position, length);
        position += length;

        // RFC 2181 §8: a TTL with the top bit set is treated as zero.
        if (ttl > int.MaxValue)
        {
            ttl = 0;
        }

        switch ((DnsRecordType)type)
        {
            case DnsRecordType.A when length == 4:
                record = new DnsRecord(name, DnsRecordType.A, ttl) { Address = new IPAddress(data) };
                break;
            case DnsRecordType.Aaaa when length == 16:
                record = new DnsRecord(name, DnsRecordType.Aaaa, ttl) { Address = new IPAddress(data) };
                break;
            case DnsRecordType.A or DnsRecordType.Aaaa:
                error = DnsParseError.BadRecordData;
                return false;
            case DnsRecordType.Srv:
            {
                if (length < 7)
                {
                    error = DnsParseError.BadRecordData;
                    return false;
                }

                var targetPosition = dataStart + 6;
                if (!TryReadName(message[..(dataStart + length)], ref targetPosition, out var target, out error))
                {
                    return false;
                }

                record = new DnsRecord(name, DnsRecordType.Srv, ttl)
                {
                    Priority = BinaryPrimitives.ReadUInt16BigEndian(data),
                    Weight = BinaryPrimitives.ReadUInt16BigEndian(data[2..]),
                    Port = BinaryPrimitives.ReadUInt16BigEndian(data[4..]),
                    Target = target,
                };
                break;
            }

            case DnsRecordType.Cname:
            {
                var targetPosition = dataStart;
                if (!TryReadName(message[..(dataStart + length)], ref targetPosition, out var target, out error))
                {
                    return false;
                }

                record = new DnsRecord(name, DnsRecordType.Cname, ttl) { Target = target };
                break;
            }
        }

        error = DnsParseError.None;
        return true;
    }

    /// <summary>
    /// Reads a possibly compressed name (RFC 1035 §4.1.4). <paramref name="position"/> moves past the name as it
    /// appears at that place (a pointer counts two bytes). Names come back lower-case without the final dot.
    /// Pointers may point anywhere earlier in <paramref name="message"/>, which may be a prefix of the whole message
    /// only for the record data bound; pointers are resolved against that span.
    /// </summary>
    public static bool TryReadName(ReadOnlySpan<byte> message, ref int position, out string name, out DnsParseError error)
    {
        name = string.Empty;
        var builder = new StringBuilder();
        var cursor = position;
        var end = -1;
        var jumps = 0;
        var length = 0;
        while (true)
        {
            if (cursor >= message.Length)
            {
                error = DnsParseError.RecordTruncated;
                return false;
            }

            var labelLength = message[cursor];
            if (labelLength == 0)
            {
                cursor++;
                break;
            }

            if ((labelLength & 0xC0) == 0xC0)
            {
                if (cursor + 1 >= message.Length)
                {
                    error = DnsParseError.RecordTruncated;
                    return false;
                }

                if (++jumps > MaxPointerJumps)
                {
                    error = DnsParseError.CompressionLoop;
                    return false;
                }

                var target = ((labelLength & 0x3F) << 8) | message[cursor + 1];
                if (end < 0)
                {
                    end = cursor + 2;
                }

                // A pointer must point backwards, which also rules out loops that stay in place.
                if (target >= cursor)
                {
                    error = DnsParseError.CompressionLoop;
                    return false;
                }

                cursor = target;
                continue;
            }

            if ((labelLength & 0xC0) != 0)
            {
                error = DnsParseError.BadName;
                return false;
            }

            if (cursor + 1 + labelLength > message.Length)
            {
                error = DnsParseError.RecordTruncated;
                return false;
            }

            length += labelLength + 1;
            if (length > MaxNameLength)
            {
                error = DnsParseError.BadName;
                return false;
            }

            if (builder.Length > 0)
            {
                builder.Append('.');
            }

            foreach (var b in message.Slice(cursor + 1, labelLength))
            {
                builder.Append(b is >= (byte)'A' and <= (byte)'Z' ? (char)(b + 32) : (char)b);
            }

            cursor += 1 + labelLength;
        }

        position = end >= 0 ? end : cursor;
        name = builder.ToString();
        error = DnsParseError.None;
        return true;
    }
}
