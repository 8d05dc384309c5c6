namespace CallTracking.Engine.Sip.Dialogs;

/// <summary>RFC 3261 §12: a dialog is early after a provisional with a tag, confirmed by a 2xx, then terminated.</summary>
public enum DialogState : byte
{
    Early,
    Confirmed,
    Terminated,
}
