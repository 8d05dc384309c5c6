using System.Security.Cryptography;
using CallTracking.Engine.Events;
using CallTracking.Engine.Privacy;

namespace CallTracking.Tests.Privacy;

/// <summary>Key wrapping, transcript sealing, caller-number normalising and the deletion event's typed form.</summary>
public sealed class PrivacyPrimitivesTests
{
    [Fact]
    public void A_wrapped_data_key_unwraps_only_with_its_master_key_and_its_own_row_id()
    {
        using var master = new MasterKey("mk-1", RandomNumberGenerator.GetBytes(32));
        using var other = new MasterKey("mk-2", RandomNumberGenerator.GetBytes(32));
        var id = Guid.NewGuid();
        var key = RandomNumberGenerator.GetBytes(32);
        var wrapped = master.Wrap(id, key);

        Assert.Equal(key, master.Unwrap(id, wrapped));
        Assert.ThrowsAny<CryptographicException>(() => other.Unwrap(id, wrapped));
        Assert.ThrowsAny<CryptographicException>(() => master.Unwrap(Guid.NewGuid(), wrapped));
        using var ring = new MasterKeyRing(master);
        Assert.ThrowsAny<CryptographicException>(() => ring.Unwrap("mk-gone", id, wrapped));
    }

    [Fact]
    public void One_master_key_wraps_and_unwraps_from_many_threads_at_once()
    {
        // Every media worker wraps a key per call it records while downloads unwrap: one OpenSSL context shared
        // without a lock failed ("cipher operation failed") and, on a worker thread, took the engine down.
        using var master = new MasterKey("mk-1", RandomNumberGenerator.GetBytes(32));
        const int Threads = 4, Each = 3000;
        var failures = 0;
        using var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            for (int i = 0; i < Each; i++)
            {
                var id = Guid.NewGuid();
                var key = RandomNumberGenerator.GetBytes(32);
                try
                {
                    if (!key.AsSpan().SequenceEqual(master.Unwrap(id, master.Wrap(id, key))))
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
                catch (CryptographicException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal(0, failures);
    }

    [Fact]
    public void Sealed_transcript_text_opens_with_its_key_only()
    {
        var id = Guid.NewGuid();
        var key = RandomNumberGenerator.GetBytes(32);
        var sealedText = TranscriptCipher.Seal(key, id, "my card number is four two four two");
        Assert.Equal("my card number is four two four two", TranscriptCipher.Open(key, id, sealedText));
        Assert.ThrowsAny<CryptographicException>(() => TranscriptCipher.Open(RandomNumberGenerator.GetBytes(32), id, sealedText));

        // A transcript whose key was destroyed reads as empty; one stored before encryption as it is.
        Assert.Equal(string.Empty, TranscriptCipher.TextOf(null, id, string.Empty, sealedText));
        Assert.Equal("plain", TranscriptCipher.TextOf(null, null, "plain", null));
    }

    [Theory]
    [InlineData("+447700900123", "+447700900123")]
    [InlineData("+44 7700 900123", "+447700900123")]
    [InlineData("(555) 123-4567", "5551234567")]
    [InlineData("4477009.00123", "447700900123")]
    [InlineData("sipp", null)]
    [InlineData("+44+7700", null)]
    [InlineData("12", null)]
    public void Caller_numbers_are_normalised_to_how_calls_store_them(string input, string? expected) =>
        Assert.Equal(expected, SubjectRequests.Normalise(input));

    [Fact]
    public void The_deletion_event_is_typed_for_the_dashboards()
    {
        var message = CallEventMapper.ToMessage(7, DataDeletion.EventKind, DateTimeOffset.UnixEpoch, Guid.NewGuid(), Guid.NewGuid(), "+15551230001", null, """{"what":"recording","deletedBy":"api-key:abcd1234","reason":"request"}""");
        Assert.Equal(("recording", "api-key:abcd1234", "request"), (message.Deleted.What, message.Deleted.DeletedBy, message.Deleted.Reason));
    }
}
