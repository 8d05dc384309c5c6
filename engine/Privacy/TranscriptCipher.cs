using System.Security.Cryptography;
using System.Text;

namespace CallTracking.Engine.Privacy;

/// <summary>
/// Transcript text at rest: each transcript gets its own data key (a <c>data_keys</c> row of purpose
/// <c>transcript</c>); its full text and every segment's text are sealed with AES-256-GCM (random 12-byte nonce
/// ‖ ciphertext ‖ 16-byte tag, the key id as additional data). Full-text search keeps working from a tsvector of
/// the transcript's words that the engine writes beside it: the words (lexemes and positions) are readable to
/// whoever reads the database, the sentences are not; the tsvector is deleted with the transcript and falls
/// under the same retention, so deleting or shredding a transcript leaves nothing searchable behind.
/// </summary>
public sealed class TranscriptCipher
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly DataKeyStore _keys;

    public TranscriptCipher(DataKeyStore keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _keys = keys;
    }

    public DataKeyStore Keys => _keys;

    /// <summary>A new transcript key for <paramref name="callId"/>: the row to store in the transcript's transaction and the key.</summary>
    public (WrappedDataKey Row, byte[] Key) NewKey(Guid callId) => _keys.NewKey(DataKeyStore.TranscriptPurpose, callId, recordingPath: null);

    public static byte[] Seal(ReadOnlySpan<byte> key, Guid keyId, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var plain = Encoding.UTF8.GetBytes(text);
        var sealedText = new byte[NonceSize + plain.Length + TagSize];
        RandomNumberGenerator.Fill(sealedText.AsSpan(0, NonceSize));
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(sealedText.AsSpan(0, NonceSize), plain, sealedText.AsSpan(NonceSize, plain.Length), sealedText.AsSpan(NonceSize + plain.Length), keyId.ToByteArray(bigEndian: true));
        return sealedText;
    }

    /// <exception cref="CryptographicException">Altered, or another key.</exception>
    public static string Open(ReadOnlySpan<byte> key, Guid keyId, ReadOnlySpan<byte> sealedText)
    {
        if (sealedText.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("The sealed transcript text is too short.");
        }

        var plain = new byte[sealedText.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(sealedText[..NonceSize], sealedText[NonceSize..^TagSize], sealedText[^TagSize..], plain, keyId.ToByteArray(bigEndian: true));
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>The transcript's key; null when it has none (stored before encryption) or it was destroyed.</summary>
    public Task<byte[]?> KeyAsync(Guid? keyId, CancellationToken cancellationToken) =>
        keyId is { } id ? _keys.GetAsync(id, cancellationToken) : Task.FromResult<byte[]?>(null);

    /// <summary>A segment's text: opened when sealed, as stored otherwise; empty when the key is gone.</summary>
    public static string TextOf(byte[]? key, Guid? keyId, string plain, byte[]? sealedText) =>
        sealedText is null ? plain : key is null || keyId is null ? string.Empty : Open(key, keyId.Value, sealedText);
}
