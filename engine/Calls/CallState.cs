namespace CallTracking.Engine.Calls;

/// <summary>Where an inbound call is: ringing until answered, answered until either side ends it.</summary>
public enum CallState : byte
{
    Ringing,
    Answered,
    Ended,
}
