namespace CallTracking.Media.Sessions;

/// <summary>One event from a media session. <see cref="Digit"/> and <see cref="Duration"/> are for DTMF;
/// <see cref="Summary"/> is set when the session stopped.</summary>
public readonly record struct MediaEvent(long SessionId, MediaEventKind Kind, char Digit = '\0', TimeSpan Duration = default, MediaSummary? Summary = null);
