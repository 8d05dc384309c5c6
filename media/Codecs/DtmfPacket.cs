namespace CallTracking.Media.Codecs;

/// <summary>One telephone-event packet for the caller to put into RTP.</summary>
/// <param name="Marker">RTP marker bit: set on the first packet of the event only.</param>
/// <param name="Timestamp">RTP timestamp: the start of the event's current segment.</param>
/// <param name="Event">The payload (<see cref="TelephoneEvent.Write"/>).</param>
/// <param name="SendAt">When to send it, in timestamp units after the event started.</param>
public readonly record struct DtmfPacket(bool Marker, uint Timestamp, TelephoneEvent Event, long SendAt);
