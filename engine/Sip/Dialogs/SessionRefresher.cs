namespace CallTracking.Engine.Sip.Dialogs;

/// <summary>Which side of a dialog sends session refreshes (RFC 4028 §7.4 refresher parameter).</summary>
public enum SessionRefresher : byte
{
    None = 0,
    Uac,
    Uas,
}
