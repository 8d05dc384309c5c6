namespace CallTracking.Media.Recording;

/// <summary>
/// Reads Ogg pages from bytes in memory: for checking what we wrote (tests,
/// diagnostics, recovering a recording cut short by a crash). Stateless.
/// </summary>
public static class OggPageReader
{
    /// <summary>Reads the page at the start of <paramref name="input"/>.</summary>
    /// <param name="consumed">The page's length when the result is <see cref="OggPageReadResult.Page"/> or
    /// <see cref="OggPageReadResult.BadChecksum"/>; 0 otherwise.</param>
    public static OggPageReadResult TryRead(ReadOnlySpan<byte> input, out OggPage page, out int consumed)
    {
        page = default;
        consumed = 0;
        if (input.Length < OggPage.HeaderSize)
        {
            return input.Length >= 4 && !input.StartsWith("OggS"u8) ? OggPageReadResult.NotAPage : OggPageReadResult.Incomplete;
        }

        if (!input.StartsWith("OggS"u8) || input[4] != 0)
        {
            return OggPageReadResult.NotAPage;
        }

        int segments = input[26];
        if (input.Length < OggPage.HeaderSize + segments)
        {
            return OggPageReadResult.Incomplete;
        }

        int bodyLength = 0;
        foreach (byte lacing in input.Slice(OggPage.HeaderSize, segments))
        {
            bodyLength += lacing;
        }

        int length = OggPage.HeaderSize + segments + bodyLength;
        if (input.Length < length)
        {
            return OggPageReadResult.Incomplete;
        }

        page = new OggPage(input[..length]);
        consumed = length;
        return page.ComputeChecksum() == page.Checksum ? OggPageReadResult.Page : OggPageReadResult.BadChecksum;
    }
}
