using System.Runtime.InteropServices;

namespace CallTracking.Media.Transcription;

/// <summary><c>whisper_token_data</c> of whisper.h 1.9.1, every field, in order; checked by WhisperLayoutTests.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct WhisperTokenData
{
    public int Id;
    public int Tid;
    public float P;
    public float Plog;
    public float Pt;
    public float Ptsum;
    public long T0;
    public long T1;
    public long TDtw;
    public float Vlen;
}
