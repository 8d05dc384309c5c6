namespace CallTracking.Engine.Sip.Outbound;

/// <summary>What OPTIONS pings last said of a trunk.</summary>
public enum TrunkState
{
    Up = 0,
    Down,
}
