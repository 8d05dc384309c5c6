namespace CallTracking.Engine.Storage;

/// <summary>How a call ended, as stored in <c>calls.disposition</c>.</summary>
public enum CallDisposition
{
    Answered,
    NoAnswer,
    Busy,
    Failed,
    Voicemail,
    Abandoned,
}
