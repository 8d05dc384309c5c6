namespace CallTracking.Media.Transcription;

/// <summary>A Whisper model file is missing or is not a model whisper.cpp can load; the message names the file.</summary>
public sealed class WhisperModelException : Exception
{
    public WhisperModelException()
    {
    }

    public WhisperModelException(string message)
        : base(message)
    {
    }

    public WhisperModelException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
