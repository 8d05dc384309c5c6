using System.Diagnostics;
using System.Globalization;
using CallTracking.Engine.Transcription;
using CallTracking.Media.Transcription;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallTracking.Bench.Transcription;

/// <summary>
/// Our transcription pipeline on one recording, timed: <c>transcription-rtf --model FILE --recording FILE.opus
/// [--threads N] [--runs N]</c>. Decode of the Ogg Opus file, voice-activity detection and whisper.cpp on each
/// channel, exactly as a transcription job does (<see cref="TranscriptionPipeline"/>); the model load is not timed
/// (a worker loads it once). Prints <c>key=value</c> lines; bench/transcription/run puts them beside whisper-cli's.
/// </summary>
internal static class TranscriptionRealTime
{
    public static int Run(string[] args)
    {
        var model = OptionText(args, "--model");
        var recording = OptionText(args, "--recording");
        if (model is null || recording is null)
        {
            Console.Error.WriteLine("usage: transcription-rtf --model FILE --recording FILE.opus [--threads N] [--runs N]");
            return 2;
        }

        var threads = int.Parse(OptionText(args, "--threads") ?? Math.Min(4, Environment.ProcessorCount).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var runs = int.Parse(OptionText(args, "--runs") ?? "1", CultureInfo.InvariantCulture);
        using var library = WhisperLibrary.Load(WhisperLibrary.FindInCache(AppContext.BaseDirectory), NullLogger.Instance);
        using var whisper = WhisperModel.Load(library, model);
        using var transcriber = whisper.CreateTranscriber();
        var pipeline = new TranscriptionPipeline(transcriber, new WhisperOptions { Threads = threads }, new VoiceActivityOptions());

        var best = TimeSpan.MaxValue;
        TranscriptionResult? result = null;
        for (var run = 0; run < runs; run++)
        {
            var clock = Stopwatch.StartNew();
            result = pipeline.Transcribe(recording, CancellationToken.None);
            best = clock.Elapsed < best ? clock.Elapsed : best;
        }

        var audioSeconds = result!.DurationMs / 1000.0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pipeline audio_seconds={audioSeconds:F2} seconds={best.TotalSeconds:F2} rtf={best.TotalSeconds / audioSeconds:F3} segments={result.Segments.Count} threads={threads} language={result.Language}"));
        Console.WriteLine("pipeline text=" + result.FullText);
        return 0;
    }

    private static string? OptionText(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
