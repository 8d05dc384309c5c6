namespace CallTracking.Engine.Transcription;

/// <summary>Who said a segment: the recording's left channel is the caller, the right one the business.</summary>
public enum Speaker
{
    Caller,
    Business,
}
