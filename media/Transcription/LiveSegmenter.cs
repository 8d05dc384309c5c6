using CallTracking.Media.Audio;

namespace CallTracking.Media.Transcription;

/// <summary>
/// Cuts one speaker's live audio (20 ms frames of 8 kHz PCM, in order) into utterances for Whisper: an utterance opens
/// at the first voiced frame (with <see cref="LiveSegmenterOptions.PrerollMs"/> of what came before), and is cut at a
/// pause (<see cref="LiveSegmenterOptions.PauseMs"/> of silence; the silence beyond the voice options' hangover is not
/// kept), at <see cref="LiveSegmenterOptions.MaxUtteranceMs"/>, where frames are missing (a gap in the frame indexes:
/// the tap dropped some), or at <see cref="Flush"/>. An utterance with too little speech is dropped. Frame work
/// allocates nothing; a cut allocates the utterance (its 16 kHz samples). One instance per speaker; not thread-safe.
/// </summary>
public sealed class LiveSegmenter
{
    private const int FrameSamples = LiveAudioTap.FrameSamples;
    private const int FrameMs = 20;

    private readonly VoiceActivityOptions _voice;
    private readonly int _pauseFrames;
    private readonly int _hangoverFrames;
    private readonly int _minSpeechFrames;
    private readonly int _maxSamples;
    private readonly float[] _analysis = new float[FrameSamples];
    private readonly short[] _utterance;
    private readonly short[] _preroll;
    private readonly int _prerollCapacity;

    private int _prerollCount;
    private int _prerollNext;
    private bool _open;
    private int _length;
    private long _startFrame;
    private int _voicedFrames;
    private int _silentRun;
    private long _expected = -1;

    public LiveSegmenter(LiveSegmenterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PauseMs, FrameMs);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxUtteranceMs, FrameMs);
        ArgumentOutOfRangeException.ThrowIfNegative(options.PrerollMs);
        _voice = options.Voice;
        _pauseFrames = options.PauseMs / FrameMs;
        _hangoverFrames = Math.Clamp(options.Voice.HangoverMs / FrameMs, 0, _pauseFrames);
        _minSpeechFrames = Math.Max(1, options.MinSpeechMs / FrameMs);
        _maxSamples = options.MaxUtteranceMs / FrameMs * FrameSamples;
        _prerollCapacity = options.PrerollMs / FrameMs;
        _preroll = new short[Math.Max(1, _prerollCapacity) * FrameSamples];
        _utterance = new short[_maxSamples + ((_prerollCapacity + 1) * FrameSamples)];
    }

    /// <summary>Whether an utterance is open (speech heard and not cut yet).</summary>
    public bool IsOpen => _open;

    /// <summary>
    /// Takes the frame with index <paramref name="frameIndex"/> (160 samples, or empty for silence); returns the
    /// utterance it completes, or null.
    /// </summary>
    public LiveUtterance? Push(long frameIndex, ReadOnlySpan<short> pcm8k)
    {
        if (pcm8k.Length is not (0 or FrameSamples))
        {
            throw new ArgumentException($"A frame is {FrameSamples} samples or empty, not {pcm8k.Length}.", nameof(pcm8k));
        }

        LiveUtterance? cut = null;
        if (_expected >= 0 && frameIndex != _expected)
        {
            // Frames are missing: what is open ends where its audio ends, and the pre-roll is no longer contiguous.
            cut = Close();
            _prerollCount = 0;
        }

        _expected = frameIndex + 1;
        var voiced = !pcm8k.IsEmpty && IsVoiced(pcm8k);
        if (!_open)
        {
            if (voiced)
            {
                Open(frameIndex);
                Append(pcm8k);
                _voicedFrames = 1;
                _silentRun = 0;
            }
            else
            {
                AddPreroll(pcm8k);
            }

            return cut;
        }

        Append(pcm8k);
        if (voiced)
        {
            _voicedFrames++;
            _silentRun = 0;
        }
        else
        {
            _silentRun++;
        }

        return _silentRun >= _pauseFrames || _length >= _maxSamples ? Close() : null;
    }

    /// <summary>Ends the stream: the open utterance, if it has enough speech, or null.</summary>
    public LiveUtterance? Flush()
    {
        var cut = Close();
        _prerollCount = 0;
        _expected = -1;
        return cut;
    }

    private bool IsVoiced(ReadOnlySpan<short> pcm8k)
    {
        for (var i = 0; i < pcm8k.Length; i++)
        {
            _analysis[i] = pcm8k[i] / 32768f;
        }

        return VoiceActivityDetector.IsVoiced(_analysis, _voice);
    }

    private void Open(long frameIndex)
    {
        _open = true;
        _length = 0;
        _startFrame = frameIndex - _prerollCount;
        var oldest = (_prerollNext - _prerollCount + _prerollCapacity) % Math.Max(1, _prerollCapacity);
        for (var i = 0; i < _prerollCount; i++)
        {
            var slot = (oldest + i) % _prerollCapacity;
            Append(_preroll.AsSpan(slot * FrameSamples, FrameSamples));
        }

        _prerollCount = 0;
    }

    private void Append(ReadOnlySpan<short> pcm8k)
    {
        var target = _utterance.AsSpan(_length, FrameSamples);
        if (pcm8k.IsEmpty)
        {
            target.Clear();
        }
        else
        {
            pcm8k.CopyTo(target);
        }

        _length += FrameSamples;
    }

    private void AddPreroll(ReadOnlySpan<short> pcm8k)
    {
        if (_prerollCapacity == 0)
        {
            return;
        }

        var target = _preroll.AsSpan(_prerollNext * FrameSamples, FrameSamples);
        if (pcm8k.IsEmpty)
        {
            target.Clear();
        }
        else
        {
            pcm8k.CopyTo(target);
        }

        _prerollNext = (_prerollNext + 1) % _prerollCapacity;
        _prerollCount = Math.Min(_prerollCount + 1, _prerollCapacity);
    }

    private LiveUtterance? Close()
    {
        if (!_open)
        {
            return null;
        }

        _open = false;

        // Keep the hangover's worth of trailing silence (word endings), not the whole pause.
        var length = _length - (Math.Max(0, _silentRun - _hangoverFrames) * FrameSamples);
        _length = 0;
        if (_voicedFrames < _minSpeechFrames)
        {
            return null;
        }

        var upsampled = Resampler.Convert(_utterance.AsSpan(0, length), LiveAudioTap.SampleRate, WhisperTranscriber.SampleRate);
        var pcm = new float[upsampled.Length];
        for (var i = 0; i < pcm.Length; i++)
        {
            pcm[i] = upsampled[i] / 32768f;
        }

        var startMs = _startFrame * FrameMs;
        return new LiveUtterance(startMs, startMs + (length / (LiveAudioTap.SampleRate / 1000)), pcm);
    }
}
