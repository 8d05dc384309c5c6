namespace CallTracking.Media.Codecs;

/// <summary>DTMF digits as RFC 4733 §3.2 event codes 0–15: 0–9, * (10), # (11), A–D (12–15).</summary>
public static class DtmfDigit
{
    /// <summary>Highest event code that is a DTMF digit.</summary>
    public const byte MaxEvent = 15;

    private const string Digits = "0123456789*#ABCD";

    /// <summary>The digit for an event code, or false for events that are not DTMF (16 and up).</summary>
    public static bool TryFromEvent(byte @event, out char digit)
    {
        if (@event > MaxEvent)
        {
            digit = '\0';
            return false;
        }

        digit = Digits[@event];
        return true;
    }

    /// <summary>The event code for a digit; lower-case a–d are accepted.</summary>
    public static bool TryToEvent(char digit, out byte @event)
    {
        var index = Digits.IndexOf(char.ToUpperInvariant(digit), StringComparison.Ordinal);
        @event = (byte)Math.Max(index, 0);
        return index >= 0;
    }

    public static char FromEvent(byte @event) =>
        TryFromEvent(@event, out var digit) ? digit : throw new ArgumentOutOfRangeException(nameof(@event), @event, "Not a DTMF event (0-15).");

    public static byte ToEvent(char digit) =>
        TryToEvent(digit, out var code) ? code : throw new ArgumentOutOfRangeException(nameof(digit), digit, "Not a DTMF digit (0-9, *, #, A-D).");
}
