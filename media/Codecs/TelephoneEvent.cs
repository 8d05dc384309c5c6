using System.Buffers.Binary;

namespace CallTracking.Media.Codecs;

/// <summary>
/// One RFC 4733 §2.3 telephone-event payload block:
/// <c>event(8) | E(1) R(1) volume(6) | duration(16)</c>, big-endian.
/// </summary>
public readonly record struct TelephoneEvent
{
    /// <summary>Bytes of one event block on the wire.</summary>
    public const int Size = 4;

    /// <summary>Largest duration a segment can carry (RFC 4733 §2.5.1.3: longer events continue in a new segment).</summary>
    public const ushort MaxDuration = 0xFFFF;

    public const byte MaxVolume = 63;

    public TelephoneEvent(byte @event, bool end, byte volume, ushort duration)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(volume, MaxVolume);
        Event = @event;
        End = end;
        Volume = volume;
        Duration = duration;
    }

    /// <summary>Event code; 0–15 are the DTMF digits (<see cref="DtmfDigit"/>).</summary>
    public byte Event { get; }

    /// <summary>E bit: this packet reports the end of the event.</summary>
    public bool End { get; }

    /// <summary>Power level in −dBm0 (0–63); 0 is loudest.</summary>
    public byte Volume { get; }

    /// <summary>Duration so far in RTP timestamp units, from the packet's timestamp.</summary>
    public ushort Duration { get; }

    /// <summary>
    /// Reads the first event block of a telephone-event payload. A payload longer
    /// than one block is accepted and the first block read: several events in one
    /// packet travel as RFC 2198 redundancy (RFC 4733 §2.5.1.5), which is a
    /// different payload type that the RTP layer unwraps before it gets here; a
    /// longer plain payload is padding or a sender's extension, not a second event
    /// to act on. The R bit is ignored on receipt (§2.3).
    /// </summary>
    /// <returns>false when the payload is shorter than <see cref="Size"/>.</returns>
    public static bool TryParse(ReadOnlySpan<byte> payload, out TelephoneEvent telephoneEvent)
    {
        if (payload.Length < Size)
        {
            telephoneEvent = default;
            return false;
        }

        var flags = payload[1];
        telephoneEvent = new TelephoneEvent(
            payload[0],
            (flags & 0x80) != 0,
            (byte)(flags & 0x3F),
            BinaryPrimitives.ReadUInt16BigEndian(payload[2..]));
        return true;
    }

    /// <summary>Writes the 4-byte block (R bit zero, RFC 4733 §2.3).</summary>
    /// <returns>The bytes written: <see cref="Size"/>.</returns>
    public int Write(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException("A telephone-event needs 4 bytes.", nameof(destination));
        }

        destination[0] = Event;
        destination[1] = (byte)((End ? 0x80 : 0) | Volume);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Duration);
        return Size;
    }
}
