namespace CallTracking.Media.Recording;

/// <summary>
/// Writes one Ogg Opus logical bitstream (RFC 7845): OpusHead alone on the first
/// page, OpusTags on the page(s) after it, then audio packets whose granule
/// positions count 48 kHz samples including the pre-skip. The header pages are
/// written and flushed by the constructor, so a file cut short later still opens.
/// Not thread-safe.
/// </summary>
public sealed class OggOpusWriter
{
    /// <summary>Opus granule positions always count 48 kHz samples (RFC 7845 §4).</summary>
    public const int GranuleRate = 48_000;

    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    private readonly OggPageWriter _pages;
    private long _granule;
    private long _samplesSinceFlush;
    private TimeSpan _lastFlush;

    public OggOpusWriter(
        Stream output,
        uint serialNumber,
        int channels,
        int inputSampleRate,
        int preSkip,
        string vendor,
        IEnumerable<KeyValuePair<string, string>> tags)
    {
        _pages = new OggPageWriter(output, serialNumber);
        PreSkip = preSkip;
        Channels = channels;

        // RFC 7845 §3: the identification header alone on the first page (BOS);
        // the comment header starts a new page; audio starts on the page after the
        // last header page. Both header pages carry granule position 0.
        _pages.WritePacket(OggOpusHeader.BuildOpusHead(channels, preSkip, inputSampleRate), 0);
        _pages.FlushPage();
        _pages.WritePacket(OggOpusHeader.BuildOpusTags(vendor, tags), 0);
        _pages.Flush();
    }

    /// <summary>Samples (48 kHz) the decoder drops at the start (RFC 7845 §4.2).</summary>
    public int PreSkip { get; }

    public int Channels { get; }

    /// <summary>Granule position after the last frame written: 48 kHz samples of every packet so far.</summary>
    public long GranulePosition => _granule;

    /// <summary>Bytes of whole pages handed to the stream.</summary>
    public long BytesWritten => _pages.BytesWritten;

    public long PagesWritten => _pages.PagesWritten;

    public bool IsCompleted => _pages.IsCompleted;

    /// <summary>Adds one Opus packet covering <paramref name="samplesPerChannelAt48k"/> samples (960 for 20 ms).</summary>
    public void WriteFrame(ReadOnlySpan<byte> packet, int samplesPerChannelAt48k)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samplesPerChannelAt48k);
        _granule += samplesPerChannelAt48k;
        _samplesSinceFlush += samplesPerChannelAt48k;
        _pages.WritePacket(packet, _granule);
    }

    /// <summary>
    /// Ends the page and flushes the stream when at least a second of audio waits
    /// in it, or when the last flush was at least a second before <paramref name="now"/>.
    /// Pass a clock in audio time to keep page boundaries deterministic.
    /// </summary>
    /// <returns>true when it flushed.</returns>
    public bool FlushIfDue(TimeSpan now)
    {
        if (!_pages.HasPendingData)
        {
            return false;
        }

        if (_samplesSinceFlush < GranuleRate && now - _lastFlush < FlushInterval)
        {
            return false;
        }

        Flush(now);
        return true;
    }

    /// <summary>Ends the current page and flushes the stream.</summary>
    public void Flush(TimeSpan now)
    {
        _pages.Flush();
        _samplesSinceFlush = 0;
        _lastFlush = now;
    }

    /// <summary>
    /// Writes the last page, flagged EOS, and flushes the stream. When the last
    /// page was already flushed the EOS page carries no packet: valid Ogg, but
    /// opusinfo warns about it, so prefer <see cref="Complete(ReadOnlySpan{byte}, int, int)"/>.
    /// </summary>
    public void Complete()
    {
        _pages.WriteEndOfStream();
        _pages.Flush();
    }

    /// <summary>
    /// Writes a last packet on the EOS page and flushes. <paramref name="endTrim"/>
    /// samples (48 kHz) are cut from the end of the decoded stream: RFC 7845 §4.5
    /// allows the final page's granule position to stop short of its packets, which
    /// lets the encoder's lookahead be flushed without lengthening the recording.
    /// </summary>
    public void Complete(ReadOnlySpan<byte> lastPacket, int samplesPerChannelAt48k, int endTrim)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samplesPerChannelAt48k);
        ArgumentOutOfRangeException.ThrowIfNegative(endTrim);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(endTrim, samplesPerChannelAt48k);
        _granule += samplesPerChannelAt48k - endTrim;
        _pages.WritePacket(lastPacket, _granule, endOfStream: true);
        _pages.Flush();
    }
}
