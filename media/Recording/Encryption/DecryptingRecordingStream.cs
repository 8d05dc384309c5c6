using System.Buffers.Binary;
using System.Security.Cryptography;

namespace CallTracking.Media.Recording.Encryption;

/// <summary>
/// Reads an encrypted recording (<see cref="EncryptedRecordingFormat"/>) as the plaintext Ogg Opus stream,
/// seekable, so HTTP range requests and players work. Opening walks the chunks' length words (not their
/// contents) to index them; a chunk is decrypted and authenticated when first read. A file still being written or
/// cut short by a crash reads up to its last whole chunk (<see cref="IsComplete"/> is false). A chunk that fails
/// authentication (altered, moved, from another file) throws <see cref="InvalidDataException"/>. Owns the inner
/// stream. Not thread-safe.
/// </summary>
public sealed class DecryptingRecordingStream : Stream
{
    private readonly Stream _inner;
    private readonly AesGcm _aes;
    private readonly byte[] _header = new byte[EncryptedRecordingFormat.HeaderSize];
    private readonly byte[] _aad = new byte[EncryptedRecordingFormat.HeaderSize + EncryptedRecordingFormat.LengthSize];
    private readonly byte[] _nonce = new byte[EncryptedRecordingFormat.NonceSize];
    private readonly List<(long FileOffset, long PlainOffset, int Length, uint Word)> _chunks = [];
    private readonly long _length;
    private byte[] _plain = [];
    private byte[] _cipher = [];
    private int _cachedChunk = -1;
    private long _position;

    /// <param name="inner">The encrypted file, readable and seekable, positioned anywhere.</param>
    /// <param name="key">The data key the header names (see <see cref="ReadKeyId"/>).</param>
    public DecryptingRecordingStream(Stream inner, ReadOnlySpan<byte> key)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (!inner.CanRead || !inner.CanSeek)
        {
            throw new ArgumentException("The encrypted recording must be readable and seekable.", nameof(inner));
        }

        _inner = inner;
        _inner.Position = 0;
        _inner.ReadExactly(_header);
        if (!EncryptedRecordingFormat.TryReadHeader(_header, out var keyId))
        {
            throw new InvalidDataException("Not an encrypted recording (version 1, AES-256-GCM).");
        }

        KeyId = keyId;
        _header.CopyTo(_aad, 0);
        _aes = new AesGcm(key, EncryptedRecordingFormat.TagSize);

        Span<byte> word = stackalloc byte[EncryptedRecordingFormat.LengthSize];
        long offset = EncryptedRecordingFormat.HeaderSize;
        long plain = 0;
        var fileLength = _inner.Length;
        while (offset + EncryptedRecordingFormat.LengthSize <= fileLength && !IsComplete)
        {
            _inner.Position = offset;
            _inner.ReadExactly(word);
            var value = BinaryPrimitives.ReadUInt32BigEndian(word);
            var length = (int)(value & ~EncryptedRecordingFormat.FinalFlag);
            if (length > EncryptedRecordingFormat.MaxChunkPlaintext)
            {
                throw new InvalidDataException($"Chunk {_chunks.Count} claims {length} bytes: the file is corrupt.");
            }

            var end = offset + EncryptedRecordingFormat.LengthSize + length + EncryptedRecordingFormat.TagSize;
            if (end > fileLength)
            {
                // The chunk being written (live) or cut short by a crash.
                break;
            }

            _chunks.Add((offset, plain, length, value));
            plain += length;
            offset = end;
            IsComplete = (value & EncryptedRecordingFormat.FinalFlag) != 0;
        }

        _length = plain;
        TrailingBytes = fileLength - offset;

        // The final chunk is what proves the file whole: authenticate it now (it may be empty and never read), so a
        // forged end-of-file marker or tag is found at open, not trusted.
        if (IsComplete)
        {
            Decrypt(_chunks.Count - 1);
        }
    }

    /// <summary>The data key id in the file's header.</summary>
    public Guid KeyId { get; }

    /// <summary>Whether the final chunk was found: false for a file still being written or cut short.</summary>
    public bool IsComplete { get; }

    /// <summary>Bytes after the last whole chunk (a partial chunk, or anything after the final one).</summary>
    public long TrailingBytes { get; }

    /// <summary>Whole chunks in the file.</summary>
    public int ChunkCount => _chunks.Count;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    /// <summary>Plaintext bytes in the whole chunks.</summary>
    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _position = value;
        }
    }

    /// <summary>The data key id named by an encrypted recording's header; null for any other file (plain Ogg).</summary>
    public static Guid? ReadKeyId(Stream file)
    {
        ArgumentNullException.ThrowIfNull(file);
        Span<byte> header = stackalloc byte[EncryptedRecordingFormat.HeaderSize];
        file.Position = 0;
        var read = file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        file.Position = 0;
        return EncryptedRecordingFormat.TryReadHeader(header[..read], out var keyId) ? keyId : null;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty || _position >= _length)
        {
            return 0;
        }

        var chunk = FindChunk(_position);
        var plain = Decrypt(chunk);
        var from = (int)(_position - _chunks[chunk].PlainOffset);
        var take = Math.Min(buffer.Length, plain.Length - from);
        plain.Slice(from, take).CopyTo(buffer);
        _position += take;
        return take;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => _length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _aes.Dispose();
            _inner.Dispose();
            CryptographicOperations.ZeroMemory(_plain);
        }

        base.Dispose(disposing);
    }

    private int FindChunk(long position)
    {
        int low = 0, high = _chunks.Count - 1;
        while (low < high)
        {
            var mid = (low + high + 1) / 2;
            if (_chunks[mid].PlainOffset <= position)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }

        // Empty chunks share their offset with the next one: skip forward to the one that holds the byte.
        while (_chunks[low].Length == 0 || position >= _chunks[low].PlainOffset + _chunks[low].Length)
        {
            low++;
        }

        return low;
    }

    private ReadOnlySpan<byte> Decrypt(int index)
    {
        var (fileOffset, _, length, word) = _chunks[index];
        if (_cachedChunk == index)
        {
            return _plain.AsSpan(0, length);
        }

        if (_plain.Length < length || _cipher.Length < length + EncryptedRecordingFormat.TagSize)
        {
            _plain = new byte[length];
            _cipher = new byte[length + EncryptedRecordingFormat.TagSize];
        }

        var cipher = _cipher.AsSpan(0, length + EncryptedRecordingFormat.TagSize);
        _inner.Position = fileOffset + EncryptedRecordingFormat.LengthSize;
        _inner.ReadExactly(cipher);
        BinaryPrimitives.WriteUInt32BigEndian(_aad.AsSpan(EncryptedRecordingFormat.HeaderSize), word);
        EncryptedRecordingFormat.WriteNonce(_nonce, _header, index);
        try
        {
            _aes.Decrypt(_nonce, cipher[..length], cipher[length..], _plain.AsSpan(0, length), _aad);
        }
        catch (AuthenticationTagMismatchException e)
        {
            _cachedChunk = -1;
            throw new InvalidDataException($"Chunk {index} of the encrypted recording failed authentication (altered, reordered, or another key).", e);
        }

        _cachedChunk = index;
        return _plain.AsSpan(0, length);
    }
}
