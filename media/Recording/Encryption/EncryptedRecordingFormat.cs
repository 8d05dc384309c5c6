using System.Buffers.Binary;

namespace CallTracking.Media.Recording.Encryption;

/// <summary>
/// The encrypted recording file (version 1), written as the call goes so it stays streamable:
/// <code>
/// header (32 bytes)
///   0  8  magic "CTCRYPT\n"
///   8  1  version = 1
///   9  1  algorithm = 1 (AES-256-GCM, 16-byte tags)
///  10  2  reserved, 0
///  12 16  data key id (UUID, big-endian as RFC 9562 writes it): the wrapped key lives in the database
///  28  4  nonce prefix (random per file)
/// chunks, one per flush of the Ogg stream (at most about a second of audio):
///   0  4  big-endian: bit 31 = final chunk, bits 0-30 = plaintext length L
///   4  L  ciphertext
/// 4+L 16  GCM tag
/// </code>
/// Chunk i (from 0) is sealed with nonce = prefix ‖ i (64-bit big-endian) and additional data = the whole
/// header ‖ the chunk's length word, so a chunk moved, dropped, repeated or relabelled as the last one fails
/// authentication; this is the STREAM construction (Hoang, Reyhanitabar, Rogaway, Vizár, CRYPTO 2015). A file
/// without a final chunk is a recording still being written or cut short by a crash: every whole chunk before
/// the cut still decrypts. The key is unique per file, so nonces never repeat under one key.
/// </summary>
public static class EncryptedRecordingFormat
{
    public const int HeaderSize = 32;
    public const int LengthSize = 4;
    public const int TagSize = 16;
    public const int NonceSize = 12;
    public const int KeySize = 32;
    public const byte Version = 1;
    public const byte AesGcmAlgorithm = 1;

    /// <summary>Bit 31 of a chunk's length word.</summary>
    public const uint FinalFlag = 0x8000_0000;

    /// <summary>The largest plaintext one chunk may carry (a reader refuses more: it would be a corrupt length).</summary>
    public const int MaxChunkPlaintext = 1 << 20;

    /// <summary>"CTCRYPT\n".</summary>
    public static ReadOnlySpan<byte> Magic => "CTCRYPT\n"u8;

    /// <summary>Whether <paramref name="start"/> (the first bytes of a file) begins an encrypted recording.</summary>
    public static bool IsEncrypted(ReadOnlySpan<byte> start) => start.Length >= Magic.Length && start[..Magic.Length].SequenceEqual(Magic);

    /// <summary>Writes a version 1 header into <paramref name="header"/> (<see cref="HeaderSize"/> bytes).</summary>
    public static void WriteHeader(Span<byte> header, Guid keyId, uint noncePrefix)
    {
        header[..HeaderSize].Clear();
        Magic.CopyTo(header);
        header[8] = Version;
        header[9] = AesGcmAlgorithm;
        keyId.TryWriteBytes(header.Slice(12, 16), bigEndian: true, out _);
        BinaryPrimitives.WriteUInt32BigEndian(header[28..], noncePrefix);
    }

    /// <summary>Reads the key id from a header; false when it is not a version 1 AES-256-GCM header.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> header, out Guid keyId)
    {
        keyId = Guid.Empty;
        if (header.Length < HeaderSize || !IsEncrypted(header) || header[8] != Version || header[9] != AesGcmAlgorithm)
        {
            return false;
        }

        keyId = new Guid(header.Slice(12, 16), bigEndian: true);
        return true;
    }

    /// <summary>The nonce of chunk <paramref name="index"/>: the header's prefix, then the index.</summary>
    public static void WriteNonce(Span<byte> nonce, ReadOnlySpan<byte> header, long index)
    {
        header.Slice(28, 4).CopyTo(nonce);
        BinaryPrimitives.WriteInt64BigEndian(nonce[4..], index);
    }
}
