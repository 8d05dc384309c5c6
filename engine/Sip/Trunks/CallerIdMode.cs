namespace CallTracking.Engine.Sip.Trunks;

/// <summary>Which number the business sees on a forwarded call.</summary>
public enum CallerIdMode
{
    /// <summary>The caller's own number (the business can call back).</summary>
    Caller,

    /// <summary>The tracking number that was dialled (the business sees which campaign rang).</summary>
    TrackingNumber,
}
