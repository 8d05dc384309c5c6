namespace CallTracking.Engine.Sip.Dialogs;

/// <summary>RFC 3261 §12: a dialog is named by Call-ID, local tag and remote tag.</summary>
public readonly record struct DialogId(string CallId, string LocalTag, string RemoteTag)
{
    public override string ToString() => $"{CallId};local={LocalTag};remote={RemoteTag}";
}
