using System.Buffers.Binary;
using System.Text;

namespace CallTracking.Engine.Sip.Outbound.Dns;

/// <summary>Writes a standard recursive query (RFC 1035 §4.1) with one question.</summary>
public static class DnsMessageWriter
{
    private const int HeaderLength = 12;

    /// <summary>The longest a query for <paramref name="name"/> can be.</summary>
    public static int MaxLength(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return HeaderLength + name.Length + 2 + 4;
    }

    /// <summary>Writes the query; false when the name is not a valid host name (label over 63 bytes, name over 255,
    /// empty label, non-ASCII).</summary>
    public static bool TryWriteQuery(Span<byte> destination, ushort id, string name, DnsRecordType type, out int written)
    {
        ArgumentNullException.ThrowIfNull(name);
        written = 0;
        var trimmed = name.TrimEnd('.');
        if (trimmed.Length == 0 || trimmed.Length > 253 || destination.Length < MaxLength(trimmed) || !Ascii.IsValid(trimmed))
        {
            return false;
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, id);
        // RD: ask the server to recurse (RFC 1035 §4.1.1).
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], 0x0100);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], 1);
        destination.Slice(6, 6).Clear();
        var position = HeaderLength;
        foreach (var label in trimmed.Split('.'))
        {
            if (label.Length is 0 or > 63)
            {
                return false;
            }

            destination[position++] = (byte)label.Length;
            position += Encoding.ASCII.GetBytes(label, destination[position..]);
        }

        destination[position++] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(destination[position..], (ushort)type);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(position + 2)..], 1);
        written = position + 4;
        return true;
    }
}
