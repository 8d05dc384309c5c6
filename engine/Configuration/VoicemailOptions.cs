using System.ComponentModel;

namespace CallTracking.Engine.Configuration;

/// <summary>A plan's <c>Voicemail</c>: written either <c>true</c>/<c>false</c> or as a section.</summary>
[TypeConverter(typeof(VoicemailOptionsConverter))]
public sealed class VoicemailOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>WAV path or text spoken before the tone; null for the shipped greeting.</summary>
    public string? Greeting { get; set; }

    public int MaxSeconds { get; set; } = 120;
}
