namespace CallTracking.Engine.Storage;

/// <summary>Who hung up, as stored in <c>calls.hangup_by</c>.</summary>
public enum HangupParty
{
    Caller,
    Callee,
    Engine,
}
