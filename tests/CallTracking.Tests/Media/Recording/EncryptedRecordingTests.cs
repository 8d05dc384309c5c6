using System.Buffers.Binary;
using System.Security.Cryptography;
using CallTracking.Media.Recording;
using CallTracking.Media.Recording.Encryption;
using Microsoft.Extensions.Time.Testing;

namespace CallTracking.Tests.Media.Recording;

/// <summary>
/// The encrypted recording format (<see cref="EncryptedRecordingFormat"/>): a real two-second recording written
/// through <see cref="EncryptingRecordingStream"/> holds none of its Opus packets in the clear, decrypts to the exact
/// Ogg bytes, survives truncation at every length up to its last whole chunk, and refuses altered, reordered or
/// foreign chunks.
/// </summary>
public sealed class EncryptedRecordingTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 12, 1, 4, 0, 0, TimeSpan.Zero));

    private static (byte[] Plain, byte[] Encrypted, RecordingDataKey Key) Record(int seconds = 3)
    {
        var key = new RecordingDataKey(Guid.NewGuid(), RandomNumberGenerator.GetBytes(32));
        short[] tone = Signals.Tone(440, 8000, TimeSpan.FromSeconds(seconds));
        using var plain = new MemoryStream();
        using var encrypted = new MemoryStream();
        using (var encoder = new TestOpusEncoder(8000, channels: 2))
        {
            var tee = new TeeStream(plain, new EncryptingRecordingStream(encrypted, key, 0x01020304));
            using (var recorder = new CallRecorder(tee, encoder, Clock, serialNumber: 7))
            {
                for (var f = 0; f < seconds * 50; f++)
                {
                    recorder.WriteFrame(tone.AsSpan(f * 160, 160), default);
                }

                recorder.Complete();
            }

            tee.Dispose();
        }

        return (plain.ToArray(), encrypted.ToArray(), key);
    }

    private static byte[] Decrypt(byte[] file, RecordingDataKey key, out DecryptingRecordingStream stream)
    {
        stream = new DecryptingRecordingStream(new MemoryStream(file), key.Key);
        using var output = new MemoryStream();
        stream.CopyTo(output);
        return output.ToArray();
    }

    [Fact]
    public void Encrypted_file_holds_no_opus_packet_in_the_clear_and_decrypts_to_the_exact_ogg_stream()
    {
        var (plain, encrypted, key) = Record();
        Assert.True(EncryptedRecordingFormat.IsEncrypted(encrypted));
        var packets = OggPackets.Packets(OggPackets.Pages(plain)).Where(p => p.Length >= 8).ToList();
        Assert.True(packets.Count >= 100, $"{packets.Count} packets");
        foreach (var packet in packets)
        {
            Assert.True(encrypted.AsSpan().IndexOf(packet) < 0, "an Opus packet is in the encrypted file as it is");
        }

        Assert.True(encrypted.AsSpan().IndexOf("OggS"u8) < 0, "an Ogg page header is in the encrypted file");
        Assert.True(encrypted.AsSpan().IndexOf("OpusHead"u8) < 0);

        var decrypted = Decrypt(encrypted, key, out var stream);
        Assert.Equal(plain, decrypted);
        Assert.True(stream.IsComplete);
        Assert.Equal(key.Id, stream.KeyId);

        // One chunk per Ogg flush: headers, one per second of audio, the end.
        Assert.InRange(stream.ChunkCount, 4, 8);
        Assert.Equal(0, stream.TrailingBytes);
    }

    [Fact]
    public void A_file_cut_at_any_length_decrypts_to_every_whole_chunk_before_the_cut()
    {
        var (plain, encrypted, key) = Record(seconds: 2);

        // The plaintext length after each whole chunk, from walking the length words.
        var ends = new List<(long FileEnd, long PlainEnd)>();
        long offset = EncryptedRecordingFormat.HeaderSize, plainEnd = 0;
        while (offset < encrypted.Length)
        {
            var length = (int)(BinaryPrimitives.ReadUInt32BigEndian(encrypted.AsSpan((int)offset)) & ~EncryptedRecordingFormat.FinalFlag);
            offset += 4 + length + 16;
            plainEnd += length;
            ends.Add((offset, plainEnd));
        }

        for (var cut = EncryptedRecordingFormat.HeaderSize; cut < encrypted.Length; cut++)
        {
            var decrypted = Decrypt(encrypted[..cut], key, out var stream);
            var expected = ends.LastOrDefault(e => e.FileEnd <= cut).PlainEnd;
            Assert.False(stream.IsComplete);
            Assert.Equal(expected, decrypted.Length);
            Assert.True(plain.AsSpan(0, decrypted.Length).SequenceEqual(decrypted), $"cut at {cut}");
        }
    }

    [Fact]
    public void A_changed_byte_anywhere_after_the_magic_is_detected()
    {
        var (_, encrypted, key) = Record(seconds: 1);
        for (var i = EncryptedRecordingFormat.Magic.Length; i < encrypted.Length; i += 7)
        {
            var altered = (byte[])encrypted.Clone();
            altered[i] ^= 0x01;
            var failed = false;
            try
            {
                var decrypted = Decrypt(altered, key, out var stream);

                // A flipped final flag or length word that still parses: authentication fails or the file ends short.
                failed = !stream.IsComplete || decrypted.Length == 0;
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException or ArgumentException or CryptographicException)
            {
                failed = true;
            }

            Assert.True(failed, $"byte {i} changed and the file still decrypted whole");
        }
    }

    [Fact]
    public void Swapped_chunks_and_another_key_fail_authentication()
    {
        var (_, encrypted, key) = Record(seconds: 2);
        var chunks = new List<(int Start, int Length)>();
        var offset = EncryptedRecordingFormat.HeaderSize;
        while (offset < encrypted.Length)
        {
            var length = 4 + (int)(BinaryPrimitives.ReadUInt32BigEndian(encrypted.AsSpan(offset)) & ~EncryptedRecordingFormat.FinalFlag) + 16;
            chunks.Add((offset, length));
            offset += length;
        }

        var swapped = new List<byte>(encrypted[..EncryptedRecordingFormat.HeaderSize]);
        swapped.AddRange(encrypted.AsSpan(chunks[1].Start, chunks[1].Length).ToArray());
        swapped.AddRange(encrypted.AsSpan(chunks[0].Start, chunks[0].Length).ToArray());
        foreach (var chunk in chunks.Skip(2))
        {
            swapped.AddRange(encrypted.AsSpan(chunk.Start, chunk.Length).ToArray());
        }

        Assert.Throws<InvalidDataException>(() => Decrypt([.. swapped], key, out _));

        var other = new RecordingDataKey(key.Id, RandomNumberGenerator.GetBytes(32));
        Assert.Throws<InvalidDataException>(() => Decrypt(encrypted, other, out _));

        // Dropping the final chunk: what is left reads, and says it is not whole.
        var withoutLast = encrypted[..chunks[^1].Start];
        Decrypt(withoutLast, key, out var cut);
        Assert.False(cut.IsComplete);
    }

    [Fact]
    public void Seeking_reads_the_same_bytes_as_reading_through()
    {
        var (plain, encrypted, key) = Record(seconds: 2);
        using var stream = new DecryptingRecordingStream(new MemoryStream(encrypted), key.Key);
        Assert.Equal(plain.Length, stream.Length);
        var buffer = new byte[333];
        foreach (var position in new long[] { plain.Length - 10, 0, plain.Length / 3, 1, plain.Length / 2 })
        {
            stream.Position = position;
            var read = stream.Read(buffer);
            Assert.True(read > 0);
            Assert.True(plain.AsSpan((int)position, read).SequenceEqual(buffer.AsSpan(0, read)), $"at {position}");
        }
    }

    [Fact]
    public void Writing_and_flushing_chunks_allocates_nothing()
    {
        var key = new RecordingDataKey(Guid.NewGuid(), RandomNumberGenerator.GetBytes(32));
        using var sink = new MemoryStream(4 << 20);
        using var stream = new EncryptingRecordingStream(sink, key, 1);
        var page = new byte[300];
        for (var i = 0; i < 20; i++)
        {
            stream.Write(page, 0, page.Length);
            stream.Flush();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            stream.Write(page, 0, page.Length);
            if (i % 50 == 49)
            {
                stream.Flush();
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>Writes to both: the plain Ogg stream for comparison, the encrypting stream under test.</summary>
    private sealed class TeeStream(Stream plain, EncryptingRecordingStream encrypted) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => plain.Length;

        public override long Position { get => plain.Position; set => throw new NotSupportedException(); }

        public override void Flush()
        {
            plain.Flush();
            encrypted.Flush();
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            plain.Write(buffer, offset, count);
            encrypted.Write(buffer, offset, count);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                encrypted.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
