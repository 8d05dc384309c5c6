using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CallTracking.IntegrationTests.Audio;
using CallTracking.Media.Transcription;

namespace CallTracking.IntegrationTests.Transcription;

/// <summary>
/// The binding passes whisper.cpp's structs by value and writes fields at fixed offsets:
/// a whisper.h that moved a field would corrupt memory, not fail. This compiles a C program
/// against the whisper.h the library was built from and compares what the C compiler says
/// with what the C# side uses, field by field.
/// </summary>
[Collection(WhisperCollection.Name)]
public sealed class WhisperLayoutTests(WhisperFixture fixture)
{
    private const string Program = """
        #include <stdio.h>
        #include <stddef.h>
        #include "whisper.h"
        #define OFF(type, field) printf("%s.%s %zu\n", #type, #field, offsetof(struct type, field))
        #define SIZE(type) printf("%s.sizeof %zu\n%s.alignof %zu\n", #type, sizeof(struct type), #type, _Alignof(struct type))
        int main(void) {
            SIZE(whisper_context_params);
            OFF(whisper_context_params, use_gpu);
            OFF(whisper_context_params, flash_attn);
            OFF(whisper_context_params, gpu_device);
            OFF(whisper_context_params, dtw_token_timestamps);
            OFF(whisper_context_params, dtw_aheads_preset);
            OFF(whisper_context_params, dtw_n_top);
            OFF(whisper_context_params, dtw_aheads.n_heads);
            OFF(whisper_context_params, dtw_aheads.heads);
            OFF(whisper_context_params, dtw_mem_size);
            SIZE(whisper_token_data);
            OFF(whisper_token_data, id);
            OFF(whisper_token_data, tid);
            OFF(whisper_token_data, p);
            OFF(whisper_token_data, plog);
            OFF(whisper_token_data, pt);
            OFF(whisper_token_data, ptsum);
            OFF(whisper_token_data, t0);
            OFF(whisper_token_data, t1);
            OFF(whisper_token_data, t_dtw);
            OFF(whisper_token_data, vlen);
            SIZE(whisper_full_params);
            OFF(whisper_full_params, strategy);
            OFF(whisper_full_params, n_threads);
            OFF(whisper_full_params, translate);
            OFF(whisper_full_params, no_context);
            OFF(whisper_full_params, print_special);
            OFF(whisper_full_params, print_progress);
            OFF(whisper_full_params, print_realtime);
            OFF(whisper_full_params, print_timestamps);
            OFF(whisper_full_params, initial_prompt);
            OFF(whisper_full_params, language);
            OFF(whisper_full_params, detect_language);
            OFF(whisper_full_params, temperature);
            OFF(whisper_full_params, temperature_inc);
            OFF(whisper_full_params, abort_callback);
            OFF(whisper_full_params, abort_callback_user_data);
            printf("bool.sizeof %zu\n", sizeof(bool));
            printf("enum.sizeof %zu\n", sizeof(enum whisper_sampling_strategy));
            printf("WHISPER_SAMPLE_RATE %d\n", WHISPER_SAMPLE_RATE);
            printf("WHISPER_SAMPLING_GREEDY %d\n", (int)WHISPER_SAMPLING_GREEDY);
            printf("GGML_LOG_LEVEL_DEBUG %d\n", (int)GGML_LOG_LEVEL_DEBUG);
            printf("GGML_LOG_LEVEL_INFO %d\n", (int)GGML_LOG_LEVEL_INFO);
            printf("GGML_LOG_LEVEL_WARN %d\n", (int)GGML_LOG_LEVEL_WARN);
            printf("GGML_LOG_LEVEL_ERROR %d\n", (int)GGML_LOG_LEVEL_ERROR);
            printf("GGML_LOG_LEVEL_CONT %d\n", (int)GGML_LOG_LEVEL_CONT);
            return 0;
        }
        """;

    [Fact]
    public async Task Struct_layouts_of_the_binding_match_whisper_h_field_by_field()
    {
        var c = await CompiledLayoutAsync();
        var csharp = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["whisper_context_params.sizeof"] = Unsafe.SizeOf<WhisperContextParams>(),
            ["whisper_context_params.alignof"] = 8,
            ["whisper_context_params.use_gpu"] = Offset<WhisperContextParams>(nameof(WhisperContextParams.UseGpu)),
            ["whisper_context_params.flash_attn"] = Offset<WhisperContextParams>(nameof(WhisperContextParams.FlashAttn)),
            ["whisper_context_params.gpu_device"] = Offset<WhisperContextParams>(nameof(WhisperContextParams.GpuDevice)),
            ["whisper_context_params.dtw_token_timestamps"] = Offset<WhisperContextParams>(nameof(WhisperContextParams.DtwTokenTimestamps)),
            ["whisper_context_params.dtw_aheads_preset"] = Offset<WhisperContextParams>(nameof(WhisperContextParams.DtwAheadsPreset)),
            ["whisper_context_params.dtw_n_top"] = Offset<WhisperContextParams>(nameof(WhisperContextParams.DtwNTop)),
            ["whisper_context_params.dtw_aheads.n_heads"] = Offset<WhisperContextParams>(nameof(WhisperContextParams.DtwAheadsNHeads)),
            ["whisper_context_params.dtw_aheads.heads"] = Offset<WhisperContextParams>(nameof(WhisperContextParams.DtwAheadsHeads)),
            ["whisper_context_params.dtw_mem_size"] = Offset<WhisperContextParams>(nameof(WhisperContextParams.DtwMemSize)),
            ["whisper_token_data.sizeof"] = Unsafe.SizeOf<WhisperTokenData>(),
            ["whisper_token_data.alignof"] = 8,
            ["whisper_token_data.id"] = Offset<WhisperTokenData>(nameof(WhisperTokenData.Id)),
            ["whisper_token_data.tid"] = Offset<WhisperTokenData>(nameof(WhisperTokenData.Tid)),
            ["whisper_token_data.p"] = Offset<WhisperTokenData>(nameof(WhisperTokenData.P)),
            ["whisper_token_data.plog"] = Offset<WhisperTokenData>(nameof(WhisperTokenData.Plog)),
            ["whisper_token_data.pt"] = Offset<WhisperTokenData>(nameof(WhisperTokenData.Pt)),
            ["whisper_token_data.ptsum"] = Offset<WhisperTokenData>(nameof(WhisperTokenData.Ptsum)),
            ["whisper_token_data.t0"] = Offset<WhisperTokenData>(nameof(WhisperTokenData.T0)),
            ["whisper_token_data.t1"] = Offset<WhisperTokenData>(nameof(WhisperTokenData.T1)),
            ["whisper_token_data.t_dtw"] = Offset<WhisperTokenData>(nameof(WhisperTokenData.TDtw)),
            ["whisper_token_data.vlen"] = Offset<WhisperTokenData>(nameof(WhisperTokenData.Vlen)),
            ["whisper_full_params.sizeof"] = Unsafe.SizeOf<WhisperFullParams>(),
            ["whisper_full_params.alignof"] = 8,
            ["whisper_full_params.strategy"] = WhisperFullParams.StrategyOffset,
            ["whisper_full_params.n_threads"] = WhisperFullParams.NThreadsOffset,
            ["whisper_full_params.translate"] = WhisperFullParams.TranslateOffset,
            ["whisper_full_params.no_context"] = WhisperFullParams.NoContextOffset,
            ["whisper_full_params.print_special"] = WhisperFullParams.PrintSpecialOffset,
            ["whisper_full_params.print_progress"] = WhisperFullParams.PrintProgressOffset,
            ["whisper_full_params.print_realtime"] = WhisperFullParams.PrintRealtimeOffset,
            ["whisper_full_params.print_timestamps"] = WhisperFullParams.PrintTimestampsOffset,
            ["whisper_full_params.initial_prompt"] = WhisperFullParams.InitialPromptOffset,
            ["whisper_full_params.language"] = WhisperFullParams.LanguageOffset,
            ["whisper_full_params.detect_language"] = WhisperFullParams.DetectLanguageOffset,
            ["whisper_full_params.temperature"] = WhisperFullParams.TemperatureOffset,
            ["whisper_full_params.temperature_inc"] = WhisperFullParams.TemperatureIncOffset,
            ["whisper_full_params.abort_callback"] = WhisperFullParams.AbortCallbackOffset,
            ["whisper_full_params.abort_callback_user_data"] = WhisperFullParams.AbortCallbackUserDataOffset,
            ["bool.sizeof"] = 1,
            ["enum.sizeof"] = sizeof(int),
            ["WHISPER_SAMPLE_RATE"] = WhisperTranscriber.SampleRate,
            ["WHISPER_SAMPLING_GREEDY"] = WhisperNative.SamplingGreedy,
            ["GGML_LOG_LEVEL_DEBUG"] = WhisperNative.LogLevelDebug,
            ["GGML_LOG_LEVEL_INFO"] = WhisperNative.LogLevelInfo,
            ["GGML_LOG_LEVEL_WARN"] = WhisperNative.LogLevelWarn,
            ["GGML_LOG_LEVEL_ERROR"] = WhisperNative.LogLevelError,
            ["GGML_LOG_LEVEL_CONT"] = WhisperNative.LogLevelCont,
        };

        // Same keys on both sides: a field added to one list and not the other is a test bug.
        Assert.Equal(csharp.Keys.Order(StringComparer.Ordinal), c.Keys.Order(StringComparer.Ordinal));
        var mismatches = csharp.Where(pair => c[pair.Key] != pair.Value)
            .Select(pair => $"{pair.Key}: whisper.h {c[pair.Key]}, C# {pair.Value}")
            .ToList();
        Assert.True(mismatches.Count == 0, "The binding does not match whisper.h:\n" + string.Join('\n', mismatches));
    }

    [Fact]
    public void The_loaded_library_is_the_version_the_binding_was_written_for()
    {
        Assert.Equal(WhisperLibrary.Version, fixture.Library.NativeVersion);
        var header = File.ReadAllText(Path.Combine(fixture.SourceDirectory, "CMakeLists.txt"));
        Assert.Contains($"project(\"whisper.cpp\" VERSION {WhisperLibrary.Version})", header, StringComparison.Ordinal);
    }

    private static long Offset<T>(string field) => Marshal.OffsetOf<T>(field).ToInt64();

    private async Task<Dictionary<string, long>> CompiledLayoutAsync()
    {
        var directory = fixture.Directory.SubDirectory("layout");
        var source = Path.Combine(directory, "layout.c");
        var program = Path.Combine(directory, "layout");
        await File.WriteAllTextAsync(source, Program);
        var gcc = ExternalTool.IsInstalled("gcc") ? "gcc" : throw new InvalidOperationException("gcc is not installed: apt-get install gcc (engine/native/build-whisper installs g++ with it)");
        await ExternalTool.RunAsync(gcc, [
            "-std=c11", "-Wall", "-Werror",
            "-I", Path.Combine(fixture.SourceDirectory, "include"),
            "-I", Path.Combine(fixture.SourceDirectory, "ggml", "include"),
            source, "-o", program]);
        var output = await ExternalTool.RunAsync(program, []);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' '))
            .ToDictionary(parts => parts[0], parts => long.Parse(parts[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);
    }
}
