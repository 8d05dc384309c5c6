namespace CallTracking.Media.Transcription;

/// <summary>whisper.cpp failed to transcribe audio it was given (not a cancellation).</summary>
public sealed class WhisperException : Exception
{
    public WhisperException()
    {
    }

    public WhisperException(string message)
        : base(message)
    {
    }

    public WhisperException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
