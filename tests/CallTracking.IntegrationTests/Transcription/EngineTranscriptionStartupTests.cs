using CallTracking.IntegrationTests.Infrastructure;
using CallTracking.Media.Transcription;

namespace CallTracking.IntegrationTests.Transcription;

/// <summary>The engine process with and without <c>Transcription:Model</c>: on, off, or a start-up error that says what to do.</summary>
[Collection(SippCollection.Name)]
public sealed class EngineTranscriptionStartupTests
{
    [Fact]
    public async Task With_the_tiny_model_the_engine_starts_with_transcription_on()
    {
        var directory = TestDirectory.Create();
        var model = directory.File("ggml-tiny-random.bin");
        TinyWhisperModel.WriteFile(model);
        var sipPort = FreePorts.Next();

        await using var engine = await EngineProcess.StartAsync(directory, sipPort, EngineConfigs.Standard(sipPort), $"--Transcription:Model={model}");

        Assert.Contains($"Transcription on: model {model} (multilingual), whisper.cpp {WhisperLibrary.Version}", engine.Log, StringComparison.Ordinal);
        File.Delete(model);
    }

    [Fact]
    public async Task Without_a_model_the_engine_says_once_that_transcription_is_off()
    {
        var directory = TestDirectory.Create();
        var sipPort = FreePorts.Next();

        await using var engine = await EngineProcess.StartAsync(directory, sipPort, EngineConfigs.Standard(sipPort));

        var off = "Transcription is off: no Transcription:Model configured";
        Assert.Single(engine.Log.Split('\n'), line => line.Contains(off, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_model_file_stops_the_start_naming_the_file_and_the_next_step()
    {
        var directory = TestDirectory.Create();
        var model = directory.File("ggml-base.en.bin");
        var sipPort = FreePorts.Next();

        var failure = await Assert.ThrowsAsync<EngineStartException>(() =>
            EngineProcess.StartAsync(directory, sipPort, EngineConfigs.Standard(sipPort), $"--Transcription:Model={model}"));

        Assert.Contains($"Transcription:Model: Whisper model file {model} does not exist", failure.Message, StringComparison.Ordinal);
        Assert.Contains("calltracking models download", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_library_stops_the_start_naming_the_set_up_script_and_the_config_key()
    {
        var directory = TestDirectory.Create();
        var model = directory.File("ggml-tiny-random.bin");
        TinyWhisperModel.WriteFile(model);
        var library = directory.File("libwhisper.so.1");
        var sipPort = FreePorts.Next();

        var failure = await Assert.ThrowsAsync<EngineStartException>(() => EngineProcess.StartAsync(
            directory, sipPort, EngineConfigs.Standard(sipPort), $"--Transcription:Model={model}", $"--Transcription:LibraryPath={library}"));

        Assert.Contains($"{library} does not exist", failure.Message, StringComparison.Ordinal);
        Assert.Contains("engine/native/build-whisper", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Transcription:LibraryPath", failure.Message, StringComparison.Ordinal);
        File.Delete(model);
    }
}
