namespace CallTracking.Engine.Configuration;

/// <summary>One entry of a plan's <c>Forward</c> list.</summary>
public sealed class ForwardOptions
{
    /// <summary>E.164 number (<c>+15559870001</c>) or SIP URI (<c>sip:desk@pbx.example.com</c>).</summary>
    public string? To { get; set; }

    /// <summary>Name of a trunk with an <c>Outbound</c> section; required for an E.164 destination.</summary>
    public string? Trunk { get; set; }

    /// <summary>How long to ring this destination, 5–120 seconds.</summary>
    public int RingSeconds { get; set; } = 20;
}
