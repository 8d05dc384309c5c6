using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CallTracking.Engine.Privacy;

/// <summary>
/// The audit trail's hash chain. An entry's hash is SHA-256 over its canonical encoding, which includes the previous
/// entry's hash, so changing, removing or reordering any entry breaks every hash after it:
/// <code>
/// "calltracking.audit.v1"
/// seq (int64 BE) | occurred_at (Unix microseconds, int64 BE)
/// actor | organisation (16 bytes, or absent) | action | subject | details | prev_hash
/// </code>
/// each variable field as an int32 BE byte length (-1 for absent) then its bytes (text as UTF-8), so no field can be
/// shifted into its neighbour. The first entry's previous hash is 32 zero bytes.
/// </summary>
public static class AuditChain
{
    public static ReadOnlySpan<byte> Genesis => new byte[SHA256.HashSizeInBytes];

    private static ReadOnlySpan<byte> Domain => "calltracking.audit.v1"u8;

    /// <summary>PostgreSQL keeps microseconds: the time is truncated to them before it is hashed and stored.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % (TimeSpan.TicksPerMillisecond / 1000)), TimeSpan.Zero);

    public static byte[] Hash(long sequence, DateTimeOffset occurredAt, string actor, Guid? organisationId, string action, string subject, string? details, ReadOnlySpan<byte> previousHash)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(subject);
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write(Domain);
        WriteInt64(buffer, sequence);
        WriteInt64(buffer, (occurredAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (TimeSpan.TicksPerMillisecond / 1000));
        WriteText(buffer, actor);
        if (organisationId is { } organisation)
        {
            Span<byte> id = stackalloc byte[16];
            organisation.TryWriteBytes(id, bigEndian: true, out _);
            WriteField(buffer, id);
        }
        else
        {
            WriteAbsent(buffer);
        }

        WriteText(buffer, action);
        WriteText(buffer, subject);
        if (details is null)
        {
            WriteAbsent(buffer);
        }
        else
        {
            WriteText(buffer, details);
        }

        WriteField(buffer, previousHash);
        return SHA256.HashData(buffer.WrittenSpan);
    }

    public static byte[] Hash(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Hash(entry.Sequence, entry.OccurredAt, entry.Actor, entry.OrganisationId, entry.Action, entry.Subject, entry.Details, entry.PreviousHash);
    }

    /// <summary>
    /// <paramref name="details"/> as canonical JSON: object members sorted by name (ordinal), no insignificant
    /// white space, strings escaped as <see cref="Utf8JsonWriter"/> escapes them. Null stays null.
    /// </summary>
    public static string? CanonicalJson(object? details)
    {
        if (details is null)
        {
            return null;
        }

        var node = details switch
        {
            JsonNode n => n,
            string s => JsonValue.Create(s),
            _ => JsonSerializer.SerializeToNode(details, details.GetType()),
        };
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteCanonical(writer, node);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var member in obj.OrderBy(m => m.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(member.Key);
                    WriteCanonical(writer, member.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    WriteCanonical(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }

    private static void WriteInt64(ArrayBufferWriter<byte> buffer, long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(buffer.GetSpan(8), value);
        buffer.Advance(8);
    }

    private static void WriteAbsent(ArrayBufferWriter<byte> buffer)
    {
        BinaryPrimitives.WriteInt32BigEndian(buffer.GetSpan(4), -1);
        buffer.Advance(4);
    }

    private static void WriteField(ArrayBufferWriter<byte> buffer, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteInt32BigEndian(buffer.GetSpan(4), value.Length);
        buffer.Advance(4);
        buffer.Write(value);
    }

    private static void WriteText(ArrayBufferWriter<byte> buffer, string value) => WriteField(buffer, Encoding.UTF8.GetBytes(value));
}
