using System.Security.Cryptography;

namespace CallTracking.Engine.Privacy;

/// <summary>
/// The master key that wraps every data key (AES-256-GCM key wrapping: a random 12-byte nonce per wrap, the data
/// key's id as additional data so a wrapped key cannot be moved to another row). Its id is stored beside each
/// wrapped key so rotation knows which master wrapped what. Thread-safe: every media worker wraps a key per call,
/// and downloads unwrap concurrently, while one <see cref="AesGcm"/> (one OpenSSL context) is not safe to share, so
/// each operation holds a lock for the few microseconds it takes.
/// </summary>
public sealed class MasterKey : IDisposable
{
    public const int KeySize = 32;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly AesGcm _aes;
    private readonly Lock _lock = new();

    public MasterKey(string id, ReadOnlySpan<byte> key)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"A master key is {KeySize} bytes.", nameof(key));
        }

        Id = id;
        _aes = new AesGcm(key, TagSize);
    }

    public string Id { get; }

    /// <summary>Bytes of a wrapped 32-byte data key: nonce, ciphertext, tag.</summary>
    public static int WrappedSize => NonceSize + KeySize + TagSize;

    /// <summary>Wraps <paramref name="dataKey"/> (the key of row <paramref name="keyId"/>).</summary>
    public byte[] Wrap(Guid keyId, ReadOnlySpan<byte> dataKey)
    {
        var wrapped = new byte[NonceSize + dataKey.Length + TagSize];
        RandomNumberGenerator.Fill(wrapped.AsSpan(0, NonceSize));
        var associated = keyId.ToByteArray(bigEndian: true);
        lock (_lock)
        {
            _aes.Encrypt(wrapped.AsSpan(0, NonceSize), dataKey, wrapped.AsSpan(NonceSize, dataKey.Length), wrapped.AsSpan(NonceSize + dataKey.Length), associated);
        }

        return wrapped;
    }

    /// <summary>The data key of row <paramref name="keyId"/>.</summary>
    /// <exception cref="CryptographicException">Not wrapped by this master key, or altered.</exception>
    public byte[] Unwrap(Guid keyId, ReadOnlySpan<byte> wrapped)
    {
        if (wrapped.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("The wrapped data key is too short.");
        }

        var key = new byte[wrapped.Length - NonceSize - TagSize];
        var associated = keyId.ToByteArray(bigEndian: true);
        lock (_lock)
        {
            _aes.Decrypt(wrapped[..NonceSize], wrapped[NonceSize..^TagSize], wrapped[^TagSize..], key, associated);
        }

        return key;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _aes.Dispose();
        }
    }
}
