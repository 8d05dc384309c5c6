namespace CallTracking.Engine.Configuration;

/// <summary>How a plan rings several destinations.</summary>
public enum ForwardMode
{
    /// <summary>One after another in list order, each for its ring time.</summary>
    Sequential,

    /// <summary>All at once; the first to answer wins, the others are cancelled.</summary>
    Simultaneous,
}
