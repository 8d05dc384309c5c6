namespace CallTracking.Engine.Configuration;

/// <summary>The <c>Plan</c> section of a number (and the <c>Outside</c> plan of its business hours).</summary>
public sealed class RoutingPlanOptions
{
    /// <summary><c>default</c> (the shipped recording notice), <c>none</c>, or the path of a WAV file.</summary>
    public string Announcement { get; set; } = "default";

    public IList<ForwardOptions> Forward { get; } = [];

    /// <summary><c>sequential</c> (default, in list order) or <c>simultaneous</c>.</summary>
    public string ForwardMode { get; set; } = "sequential";

    /// <summary>Text spoken to the answering agent before the bridge, or the path of a WAV file (<c>.wav</c>).</summary>
    public string? Whisper { get; set; }

    /// <summary><c>true</c>/<c>false</c>, or a section with <c>Greeting</c> and <c>MaxSeconds</c>.</summary>
    public VoicemailOptions? Voicemail { get; set; }

    public int MaxCallMinutes { get; set; } = 120;

    public BusinessHoursOptions? BusinessHours { get; set; }
}
