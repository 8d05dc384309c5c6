using System.Globalization;
using CallTracking.Media.Audio;

namespace CallTracking.Media.Recording;

/// <summary>
/// The two-channel recording of one call, as Ogg Opus written while the call
/// goes: caller on the left, the other party on the right. The media worker
/// hands it one 20 ms frame of 8 kHz PCM per side per tick (through a
/// <see cref="RecordingTimeline"/>, which places the caller's audio by its RTP
/// timestamps); each frame is encoded to one Opus packet. A page is flushed to the stream every 50 frames (one
/// second of audio, counted in frames rather than wall time so it is
/// deterministic), so a crash loses at most a second. Allocates nothing per
/// frame. Not thread-safe: the media worker that owns the call drives it. The
/// output stream and the encoder belong to the caller.
/// </summary>
public sealed class CallRecorder : IRecordingSink, IDisposable
{
    /// <summary>Rate of the PCM handed to <see cref="WriteFrame"/>, and the input rate recorded in OpusHead.</summary>
    public const int SampleRate = 8_000;

    /// <summary>Samples per side per <see cref="WriteFrame"/>: 20 ms at 8 kHz.</summary>
    public const int FrameSamples = 160;

    public static readonly TimeSpan FrameDuration = TimeSpan.FromMilliseconds(20);

    private const int SamplesPerFrameAt48k = 960;

    // RFC 6716 §3.2: a 20 ms frame is at most 1275 bytes; libopus recommends room for 4000.
    private const int MaxPacketBytes = 4000;

    private readonly IOpusFrameEncoder _encoder;
    private readonly OggOpusWriter _writer;
    private readonly int _encoderFrameSamples;
    private readonly short[] _interleaved;
    private readonly byte[] _packet = new byte[MaxPacketBytes];

    // Only when the encoder runs at 16 kHz: one upsampler per channel and a scratch frame.
    private readonly Resampler? _leftUpsampler;
    private readonly Resampler? _rightUpsampler;
    private readonly short[]? _upsampled;

    private readonly List<RecordingSpan> _pausedSpans = [];
    private long _frames;
    private TimeSpan _pausedAt;

    /// <param name="output">Where the Ogg Opus stream goes; flushed once a second of audio.</param>
    /// <param name="stereoEncoder">A two-channel encoder taking 8 or 16 kHz input.</param>
    /// <param name="time">The clock that dates the recording (the DATE tag).</param>
    /// <param name="serialNumber">The Ogg stream serial number; RFC 3533 wants it random.</param>
    /// <param name="tags">Extra user comments for OpusTags.</param>
    public CallRecorder(
        Stream output,
        IOpusFrameEncoder stereoEncoder,
        TimeProvider time,
        uint serialNumber,
        IEnumerable<KeyValuePair<string, string>>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(stereoEncoder);
        ArgumentNullException.ThrowIfNull(time);
        if (stereoEncoder.Channels != 2)
        {
            throw new ArgumentException($"The recorder needs a stereo encoder, not {stereoEncoder.Channels} channel(s).", nameof(stereoEncoder));
        }

        _encoder = stereoEncoder;
        switch (stereoEncoder.InputSampleRate)
        {
            case SampleRate:
                _encoderFrameSamples = FrameSamples;
                break;
            case 2 * SampleRate:
                _encoderFrameSamples = 2 * FrameSamples;
                _leftUpsampler = Resampler.Create(SampleRate, 2 * SampleRate);
                _rightUpsampler = Resampler.Create(SampleRate, 2 * SampleRate);
                _upsampled = new short[2 * FrameSamples];
                break;
            default:
                throw new ArgumentException($"The encoder must take 8000 or 16000 Hz input, not {stereoEncoder.InputSampleRate}.", nameof(stereoEncoder));
        }

        _interleaved = new short[2 * _encoderFrameSamples];
        StartedAt = time.GetUtcNow();

        // RFC 7845 §5.1: pre-skip is the encoder's lookahead in 48 kHz samples.
        int preSkip = stereoEncoder.Lookahead * (OggOpusWriter.GranuleRate / stereoEncoder.InputSampleRate);
        var comments = new List<KeyValuePair<string, string>>
        {
            new("DATE", StartedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)),
            new("CHANNELS", "left=caller right=other"),
        };
        if (tags is not null)
        {
            comments.AddRange(tags);
        }

        _writer = new OggOpusWriter(output, serialNumber, channels: 2, SampleRate, preSkip, "CallTracking", comments);
    }

    /// <summary>When the recording started, by the clock given to the constructor.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>Length of the recording: frames written × 20 ms.</summary>
    public TimeSpan Duration => FrameDuration * _frames;

    /// <summary>Bytes of whole pages handed to the output stream.</summary>
    public long BytesWritten => _writer.BytesWritten;

    public bool IsPaused { get; private set; }

    public bool IsCompleted { get; private set; }

    /// <summary>Spans recorded as silence because recording was paused; a pause still open is not listed.</summary>
    public IReadOnlyList<RecordingSpan> PausedSpans => _pausedSpans;

    /// <summary>
    /// Records one 20 ms tick: <see cref="FrameSamples"/> samples of each side at
    /// 8 kHz. An empty span is silence (the other leg not connected yet). While
    /// paused both sides are recorded as silence.
    /// </summary>
    public void WriteFrame(ReadOnlySpan<short> callerPcm8k, ReadOnlySpan<short> otherPcm8k)
    {
        if (IsCompleted)
        {
            ThrowCompleted();
        }

        if (callerPcm8k.Length is not (0 or FrameSamples) || otherPcm8k.Length is not (0 or FrameSamples))
        {
            ThrowBadFrameLength(callerPcm8k.Length, otherPcm8k.Length);
        }

        if (IsPaused)
        {
            callerPcm8k = default;
            otherPcm8k = default;
        }

        Interleave(callerPcm8k, channel: 0, _leftUpsampler);
        Interleave(otherPcm8k, channel: 1, _rightUpsampler);
        EncodeAndWrite();
        _frames++;
        _writer.FlushIfDue(Duration);
    }

    /// <summary>Starts recording silence in place of the call (e.g. while a card number is read out).</summary>
    public void Pause()
    {
        if (IsCompleted || IsPaused)
        {
            return;
        }

        IsPaused = true;
        _pausedAt = Duration;
    }

    /// <summary>Records the call again; the silent span is added to <see cref="PausedSpans"/>.</summary>
    public void Resume()
    {
        if (!IsPaused)
        {
            return;
        }

        IsPaused = false;
        if (Duration > _pausedAt)
        {
            _pausedSpans.Add(new RecordingSpan(_pausedAt, Duration));
        }
    }

    /// <summary>
    /// Ends the recording: encodes silence to push the encoder's lookahead out,
    /// writes the EOS page with its granule position trimmed to exactly
    /// <see cref="Duration"/> of audio, and flushes the stream.
    /// </summary>
    public void Complete()
    {
        if (IsCompleted)
        {
            return;
        }

        Resume();
        IsCompleted = true;

        // The decoder drops pre-skip samples at the start, so the packets must
        // cover Duration + pre-skip; the EOS granule trims what lies beyond. At
        // least one frame goes on the EOS page so it is never a page without packets.
        int preSkip = _writer.PreSkip;
        int extraFrames = Math.Max(1, (preSkip + SamplesPerFrameAt48k - 1) / SamplesPerFrameAt48k);
        for (int i = 1; i <= extraFrames; i++)
        {
            Interleave(default, channel: 0, _leftUpsampler);
            Interleave(default, channel: 1, _rightUpsampler);
            int length = Encode();
            if (i < extraFrames)
            {
                _writer.WriteFrame(_packet.AsSpan(0, length), SamplesPerFrameAt48k);
            }
            else
            {
                int endTrim = (extraFrames * SamplesPerFrameAt48k) - preSkip;
                _writer.Complete(_packet.AsSpan(0, length), SamplesPerFrameAt48k, endTrim);
            }
        }
    }

    /// <summary>Completes the recording if <see cref="Complete"/> was not called. Leaves the stream open.</summary>
    public void Dispose() => Complete();

    private void Interleave(ReadOnlySpan<short> pcm8k, int channel, Resampler? upsampler)
    {
        short[] interleaved = _interleaved;
        if (upsampler is null)
        {
            if (pcm8k.IsEmpty)
            {
                for (int i = channel; i < interleaved.Length; i += 2)
                {
                    interleaved[i] = 0;
                }
            }
            else
            {
                for (int i = 0; i < pcm8k.Length; i++)
                {
                    interleaved[(2 * i) + channel] = pcm8k[i];
                }
            }

            return;
        }

        // The upsampler is fed silence too, so its state stays continuous.
        ReadOnlySpan<short> silence = stackalloc short[FrameSamples];
        short[] upsampled = _upsampled!;
        upsampler.Process(pcm8k.IsEmpty ? silence : pcm8k, upsampled);
        for (int i = 0; i < upsampled.Length; i++)
        {
            interleaved[(2 * i) + channel] = upsampled[i];
        }
    }

    private void EncodeAndWrite()
    {
        int length = Encode();
        _writer.WriteFrame(_packet.AsSpan(0, length), SamplesPerFrameAt48k);
    }

    private int Encode()
    {
        int length = _encoder.Encode(_interleaved, _encoderFrameSamples, _packet);
        if (length <= 0 || length > _packet.Length)
        {
            ThrowEncoderFailed(length);
        }

        return length;
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowCompleted() =>
        throw new InvalidOperationException("The recording is complete; no more frames can be written.");

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowBadFrameLength(int caller, int other) =>
        throw new ArgumentException($"Each side of a frame is {FrameSamples} samples (20 ms at 8 kHz) or empty; got caller {caller}, other {other}.");

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowEncoderFailed(int result) =>
        throw new InvalidOperationException($"The Opus encoder returned {result} for a 20 ms frame.");
}
