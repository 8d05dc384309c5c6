using CallTracking.Media.Transcription;

namespace CallTracking.Engine.Transcription;

/// <summary>
/// One recording to one transcript: decode the Ogg Opus file to 16 kHz per channel, find the speech in each
/// channel, transcribe each speech region with its own channel's speaker, put the regions' times back on the
/// recording's time line, merge both speakers by time. Uses one <see cref="WhisperTranscriber"/>: one job at a time.
/// </summary>
public sealed class TranscriptionPipeline(WhisperTranscriber transcriber, WhisperOptions whisperOptions, VoiceActivityOptions voiceOptions)
{
    /// <exception cref="FileNotFoundException">The recording file is gone.</exception>
    /// <exception cref="InvalidDataException">The file is not Ogg Opus.</exception>
    /// <exception cref="WhisperException">whisper.cpp failed.</exception>
    public TranscriptionResult Transcribe(string recordingPath, CancellationToken cancellationToken)
    {
        var audio = OggOpusFileDecoder.Decode(recordingPath);
        return Transcribe(audio, cancellationToken);
    }

    /// <summary>Transcribes decoded audio: channel 0 is the caller, channel 1 (if any) the business.</summary>
    public TranscriptionResult Transcribe(DecodedAudio audio, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audio);
        var perSpeaker = new List<List<TranscriptSegment>>();
        var languages = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var channel = 0; channel < audio.Channels.Count && channel < 2; channel++)
        {
            var speaker = channel == 0 ? Speaker.Caller : Speaker.Business;
            var samples = audio.Channels[channel];
            var segments = new List<TranscriptSegment>();
            foreach (var region in VoiceActivityDetector.Detect(samples, audio.SampleRate, voiceOptions))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var offsetMs = (long)region.Start * 1000 / audio.SampleRate;
                var transcript = transcriber.Transcribe(samples.AsSpan(region.Start, region.Length), whisperOptions, cancellationToken);
                if (transcript.Language is { } language)
                {
                    languages[language] = languages.GetValueOrDefault(language) + region.Length;
                }

                foreach (var segment in transcript.Segments)
                {
                    if (segment.Text.Length == 0)
                    {
                        continue;
                    }

                    segments.Add(new TranscriptSegment(speaker, offsetMs + segment.StartMs, offsetMs + segment.EndMs, segment.Text, segment.Confidence));
                }
            }

            perSpeaker.Add(segments);
        }

        // The language spoken longest; a call can mix them, the transcript has one.
        var callLanguage = languages.Count == 0 ? null : languages.MaxBy(l => l.Value).Key;
        return new TranscriptionResult(SegmentMerger.Merge(perSpeaker), callLanguage ?? whisperOptions.Language, audio.DurationMs);
    }
}
