using System.Buffers.Binary;
using System.Security.Cryptography;

namespace CallTracking.Media.Recording.Encryption;

/// <summary>
/// Encrypts a recording as it is written (<see cref="EncryptedRecordingFormat"/>): writes gather in a buffer and
/// every <see cref="Flush"/> (the Ogg writer flushes at least once a second of audio) seals them as one chunk and
/// flushes the file, so a crash loses at most the unflushed second. <see cref="Complete"/> (or Dispose) writes the
/// final chunk. Buffers are allocated once: writing and flushing allocate nothing. Not thread-safe; the media
/// worker that owns the call drives it. Leaves the inner stream open.
/// </summary>
public sealed class EncryptingRecordingStream : Stream
{
    // A second of stereo Opus at the bit rates we record is a few KB; an Ogg page is at most 65,307 bytes.
    private const int DefaultChunkCapacity = 128 * 1024;

    private readonly Stream _inner;
    private readonly AesGcm _aes;
    private readonly byte[] _header = new byte[EncryptedRecordingFormat.HeaderSize];
    private readonly byte[] _plain;
    private readonly byte[] _sealed;
    private readonly byte[] _nonce = new byte[EncryptedRecordingFormat.NonceSize];
    private readonly byte[] _aad = new byte[EncryptedRecordingFormat.HeaderSize + EncryptedRecordingFormat.LengthSize];
    private int _buffered;
    private long _chunkIndex;
    private long _position;
    private long _bytesWritten;
    private bool _completed;

    /// <param name="inner">Where the encrypted file goes (positioned at its start).</param>
    /// <param name="key">The recording's data key; the stream keeps no reference to the array after construction.</param>
    /// <param name="noncePrefix">Four random bytes for the header.</param>
    public EncryptingRecordingStream(Stream inner, RecordingDataKey key, uint noncePrefix, int chunkCapacity = DefaultChunkCapacity)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(key);
        if (key.Key.Length != EncryptedRecordingFormat.KeySize)
        {
            throw new ArgumentException($"A data key is {EncryptedRecordingFormat.KeySize} bytes.", nameof(key));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(chunkCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunkCapacity, EncryptedRecordingFormat.MaxChunkPlaintext);
        _inner = inner;
        _aes = new AesGcm(key.Key, EncryptedRecordingFormat.TagSize);
        _plain = new byte[chunkCapacity];
        _sealed = new byte[EncryptedRecordingFormat.LengthSize + chunkCapacity + EncryptedRecordingFormat.TagSize];
        EncryptedRecordingFormat.WriteHeader(_header, key.Id, noncePrefix);
        _header.CopyTo(_aad, 0);

        // The header goes out at once, so a file cut short before its first chunk still names its key.
        _inner.Write(_header);
        _inner.Flush();
        _bytesWritten = _header.Length;
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_completed;

    /// <summary>Plaintext bytes written so far.</summary>
    public override long Length => _position;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    /// <summary>Bytes handed to the inner stream (header and sealed chunks).</summary>
    public long EncryptedBytesWritten => _bytesWritten;

    /// <summary>Chunks sealed so far.</summary>
    public long ChunksWritten => _chunkIndex;

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_completed)
        {
            throw new InvalidOperationException("The encrypted recording is complete.");
        }

        while (!buffer.IsEmpty)
        {
            if (_buffered == _plain.Length)
            {
                SealChunk(final: false);
            }

            var take = Math.Min(buffer.Length, _plain.Length - _buffered);
            buffer[..take].CopyTo(_plain.AsSpan(_buffered));
            _buffered += take;
            _position += take;
            buffer = buffer[take..];
        }
    }

    /// <summary>Seals what was written since the last flush as one chunk and flushes the inner stream.</summary>
    public override void Flush()
    {
        if (_completed)
        {
            return;
        }

        if (_buffered > 0)
        {
            SealChunk(final: false);
        }

        _inner.Flush();
    }

    /// <summary>Seals the rest as the final chunk (empty when nothing is pending) and flushes: the file is whole.</summary>
    public void Complete()
    {
        if (_completed)
        {
            return;
        }

        SealChunk(final: true);
        _inner.Flush();
        _completed = true;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Complete();
            _aes.Dispose();
            CryptographicOperations.ZeroMemory(_plain);
        }

        base.Dispose(disposing);
    }

    private void SealChunk(bool final)
    {
        var length = (uint)_buffered | (final ? EncryptedRecordingFormat.FinalFlag : 0);
        var output = _sealed.AsSpan(0, EncryptedRecordingFormat.LengthSize + _buffered + EncryptedRecordingFormat.TagSize);
        BinaryPrimitives.WriteUInt32BigEndian(output, length);
        BinaryPrimitives.WriteUInt32BigEndian(_aad.AsSpan(EncryptedRecordingFormat.HeaderSize), length);
        EncryptedRecordingFormat.WriteNonce(_nonce, _header, _chunkIndex);
        _aes.Encrypt(
            _nonce,
            _plain.AsSpan(0, _buffered),
            output.Slice(EncryptedRecordingFormat.LengthSize, _buffered),
            output[(EncryptedRecordingFormat.LengthSize + _buffered)..],
            _aad);
        _inner.Write(output);
        _bytesWritten += output.Length;
        _chunkIndex++;
        _buffered = 0;
    }
}
