namespace CallTracking.Media.Recording;

/// <summary>
/// The Ogg page checksum (RFC 3533 §6): CRC-32 with polynomial 0x04C11DB7, fed
/// most-significant bit first (no reflection), initial value 0 and no final XOR.
/// It is computed over the whole page with the checksum field set to zero.
/// </summary>
public static class OggCrc
{
    private const uint Polynomial = 0x04C11DB7;

    // Immutable after type initialisation.
    private static readonly uint[] Table = BuildTable();

    /// <summary>The checksum of <paramref name="data"/> from the initial value 0.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Update(0, data);

    /// <summary>Continues a checksum over more bytes, for a page held in pieces.</summary>
    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        uint[] table = Table;
        foreach (byte b in data)
        {
            crc = (crc << 8) ^ table[(int)((crc >> 24) ^ b)];
        }

        return crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint r = i << 24;
            for (int bit = 0; bit < 8; bit++)
            {
                r = (r & 0x8000_0000) != 0 ? (r << 1) ^ Polynomial : r << 1;
            }

            table[i] = r;
        }

        return table;
    }
}
