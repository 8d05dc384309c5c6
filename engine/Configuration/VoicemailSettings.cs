namespace CallTracking.Engine.Configuration;

/// <summary>What happens when nobody answers: a greeting, then a recording of at most <see cref="MaxDuration"/>.</summary>
public sealed record VoicemailSettings(Prompt Greeting, TimeSpan MaxDuration);
