namespace CallTracking.Engine.Sip.Messages;

/// <summary>One header line of a <see cref="SipMessage"/>: offsets of its name and trimmed value.</summary>
internal readonly record struct SipHeaderEntry(int NameStart, int NameLength, int ValueStart, int ValueLength, HeaderKind Kind);
