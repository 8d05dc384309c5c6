using System.Buffers.Binary;
using System.Security.Cryptography;
using CallTracking.Media.Recording;
using CallTracking.Media.Recording.Encryption;

namespace CallTracking.Media.Sessions;

/// <summary>
/// The call's recording: opened when the session starts, completed (and reported) when it stops. Received audio
/// reaches it through a <see cref="RecordingTimeline"/> that places it by RTP timestamp (see there for how the two
/// channels are aligned), not from the jitter buffer's playout, which adapts for live listening.
/// </summary>
public sealed partial class MediaSession
{
    private CallRecorder? _recorder;
    private RecordingTimeline? _timeline;

    // Set when the worker runs its own thread: the recording is encoded on the worker's encoder thread.
    private QueuedRecording? _queued;
    private bool _recordingPaused;
    private IOpusFrameEncoder? _recordingEncoder;
    private FileStream? _recordingFile;

    // The file's encryption (when the engine gives recordings data keys): the recorder writes through it.
    private EncryptingRecordingStream? _recordingEncryption;
    private string? _recordingPath;
    private string? _recordingError;

    private void OpenRecording(string path)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            _recordingFile = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 16 * 1024);
            Stream output = _recordingFile;
            if (_dependencies.RecordingKeys is { } keys)
            {
                // Encrypted at rest: one chunk per Ogg flush, so the file stays streamable and crash-safe.
                var key = keys.CreateKey(path);
                _recordingEncryption = new EncryptingRecordingStream(_recordingFile, key, BinaryPrimitives.ReadUInt32BigEndian(RandomNumberGenerator.GetBytes(4)));
                CryptographicOperations.ZeroMemory(key.Key);
                output = _recordingEncryption;
            }

            _recordingEncoder = _dependencies.CreateRecordingEncoder();
            _recorder = new CallRecorder(output, _recordingEncoder, _dependencies.Time, _recordingSerial);
            if (Worker?.RecordingEncoder is { } encoderThread)
            {
                _queued = new QueuedRecording(_recorder);
                _timeline = new RecordingTimeline(_queued);
                encoderThread.Add(_queued);
            }
            else
            {
                _timeline = new RecordingTimeline(_recorder);
            }

            _recordingPath = path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            // A full disk, missing permissions, an existing file or a key that could not be made must not cost the
            // call (nor, on this worker thread, the process): it goes on unrecorded, and the reason travels in the
            // summary so the engine can tell the operator. A file this session created and could not use is removed.
            bool created = _recordingFile is not null;
            _recordingEncryption?.Dispose();
            _recordingFile?.Dispose();
            if (created)
            {
                TryDelete(path);
            }

            (_recordingEncoder as IDisposable)?.Dispose();
            _recordingEncryption = null;
            _recordingFile = null;
            _recordingEncoder = null;
            _recorder = null;
            _timeline = null;
            _recordingError = $"cannot write {path}: {e.Message}";
            _dependencies.Metrics.RecordingFailed();
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left behind; it holds at most a header.
        }
    }

    private void Finish()
    {
        _running = false;
        _finished = true;

        // A key press still open when the call ends (its end packets lost) is reported rather than forgotten.
        if (_dtmf.InProgress && _dtmf.TryFlush(_lastAudioTimestamp + (uint)(SampleRate * 10), out var pending))
        {
            ReportDtmf(pending);
        }

        LeaveBridge();
        _tap?.Complete();
        _tap = null;

        if (_queued is not null)
        {
            // The encoder thread finishes the file; the summary goes out from there once it is complete.
            _timeline!.Flush();
            _dependencies.Metrics.RecordingLate(_timeline.LatePackets);
            FinishQueuedRecording(_queued, _recordingFile!, _recordingEncryption, _recordingEncoder);
            Sockets.Dispose();
            _releasePort();
            return;
        }

        var duration = TimeSpan.Zero;
        long bytes = 0;
        IReadOnlyList<(TimeSpan, TimeSpan)> paused = [];
        if (_recorder is not null)
        {
            // What the timeline still holds for late packets is the end of the call: it goes in too.
            _timeline!.Flush();
            _dependencies.Metrics.RecordingLate(_timeline.LatePackets);
            _recorder.Complete();
            duration = _recorder.Duration;
            paused = [.. _recorder.PausedSpans.Select(s => (s.Start, s.End))];
            _recorder.Dispose();
            _recordingEncryption?.Dispose();

            // The size of the Ogg Opus file a download serves (decrypted), not of the encrypted file on disk.
            bytes = _recordingEncryption?.Length ?? _recordingFile!.Length;
            _recordingFile!.Dispose();
            (_recordingEncoder as IDisposable)?.Dispose();
        }

        Sockets.Dispose();
        _releasePort();
        Report(duration, bytes, paused, _recordingError);
    }

    private void FinishQueuedRecording(QueuedRecording queued, FileStream file, EncryptingRecordingStream? encryption, IOpusFrameEncoder? encoder)
    {
        // Runs on the encoder thread; reads only what the worker no longer changes (the session has finished).
        queued.Complete(recorder =>
        {
            var duration = recorder.Duration;
            IReadOnlyList<(TimeSpan, TimeSpan)> paused = [.. recorder.PausedSpans.Select(s => (s.Start, s.End))];
            long bytes = 0;
            try
            {
                // The encrypted file's final chunk (its end marker) is written when its stream is disposed.
                encryption?.Dispose();
                bytes = encryption?.Length ?? file.Length;
            }
            finally
            {
                file.Dispose();
                (encoder as IDisposable)?.Dispose();
            }

            _dependencies.Metrics.RecordingDropped(queued.DroppedFrames);
            var error = queued.Error is null ? _recordingError : $"cannot write {_recordingPath}: {queued.Error.Message}";
            Report(duration, bytes, paused, error);
        });
    }

    private void Report(TimeSpan duration, long bytes, IReadOnlyList<(TimeSpan, TimeSpan)> paused, string? recordingError)
    {
        var snapshot = _statistics.GetSnapshot();
        var summary = new MediaSummary(
            _recordingPath,
            duration,
            bytes,
            _recorder is null ? string.Empty : "opus",
            paused,
            snapshot.Packets,
            snapshot.Lost,
            snapshot.JitterMilliseconds,
            snapshot.Late,
            snapshot.Duplicates,
            _dtmfEvents,
            recordingError);
        if (!_events.TryWrite(new MediaEvent(Id, MediaEventKind.Stopped, Summary: summary)))
        {
            _dependencies.Metrics.EventDropped();
        }
    }
}
