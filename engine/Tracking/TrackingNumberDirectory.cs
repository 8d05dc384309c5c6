namespace CallTracking.Engine.Tracking;

/// <summary>
/// Finds the tracking number a call was made to from the user part of its
/// Request-URI. Carriers write the same number as <c>+15551230001</c>,
/// <c>15551230001</c> or, tel:-style, with visual separators
/// (<c>+1-555-123-0001</c>, RFC 3966 §5.1.1); all of them are reduced to their
/// digits and looked up by those. Immutable and thread-safe; <see cref="TryFind"/>
/// allocates nothing.
/// </summary>
public sealed class TrackingNumberDirectory
{
    /// <summary>E.164 allows at most 15 digits (ITU-T E.164 §6).</summary>
    private const int MaxDigits = 15;

    private readonly Dictionary<string, TrackingNumber> _byDigits;
    private readonly Dictionary<string, TrackingNumber>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public TrackingNumberDirectory(IEnumerable<TrackingNumber> numbers)
    {
        ArgumentNullException.ThrowIfNull(numbers);
        _byDigits = new Dictionary<string, TrackingNumber>(StringComparer.Ordinal);
        foreach (var number in numbers)
        {
            if (!_byDigits.TryAdd(number.Digits, number))
            {
                throw new ArgumentException($"Tracking number {number.E164} is listed twice.", nameof(numbers));
            }
        }

        _lookup = _byDigits.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _byDigits.Count;

    public IEnumerable<TrackingNumber> Numbers => _byDigits.Values;

    /// <summary>
    /// Looks up the number in a Request-URI user part: an optional leading <c>+</c>,
    /// then digits, optionally broken up by <c>- . ( )</c> or spaces. Anything
    /// else (letters, URI parameters, more than 15 digits) is not found.
    /// </summary>
    public bool TryFind(ReadOnlySpan<byte> requestUriUser, out TrackingNumber number)
    {
        Span<char> digits = stackalloc char[MaxDigits];
        var count = 0;
        var start = !requestUriUser.IsEmpty && requestUriUser[0] == (byte)'+' ? 1 : 0;
        for (var i = start; i < requestUriUser.Length; i++)
        {
            var b = requestUriUser[i];
            if (b is >= (byte)'0' and <= (byte)'9')
            {
                if (count == MaxDigits)
                {
                    number = null!;
                    return false;
                }

                digits[count++] = (char)b;
            }
            else if (b is not ((byte)'-' or (byte)'.' or (byte)'(' or (byte)')' or (byte)' '))
            {
                number = null!;
                return false;
            }
        }

        if (count == 0)
        {
            number = null!;
            return false;
        }

        return _lookup.TryGetValue(digits[..count], out number!);
    }
}
