using System.Runtime.InteropServices;

namespace CallTracking.Media.Transcription;

/// <summary>
/// <c>struct whisper_context_params</c> of whisper.h 1.9.1, every field, in order.
/// C <c>bool</c> is one byte. Checked against the C compiler by WhisperLayoutTests.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct WhisperContextParams
{
    public byte UseGpu;
    public byte FlashAttn;
    public int GpuDevice;
    public byte DtwTokenTimestamps;
    public int DtwAheadsPreset;
    public int DtwNTop;

    // struct whisper_aheads { size_t n_heads; const whisper_ahead * heads; }
    public nuint DtwAheadsNHeads;
    public nint DtwAheadsHeads;
    public nuint DtwMemSize;
}
