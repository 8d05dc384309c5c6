namespace CallTracking.Engine.Privacy;

/// <summary>One redacted span of a text: <see cref="Label"/> (e.g. <c>[CARD]</c>) replaced the characters from <see cref="Start"/> (inclusive) to <see cref="End"/> (exclusive) of the original.</summary>
public readonly record struct Redaction(string Label, int Start, int End);
