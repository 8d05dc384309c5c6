namespace CallTracking.Engine.Configuration;

/// <summary>
/// What a call to a tracking number goes through: the recording notice, the destinations to ring, the whisper to
/// whoever answers, voicemail when nobody does, and the hours it applies in.
/// </summary>
/// <param name="Announcement">Played to the caller first (the recording notice).</param>
/// <param name="Forward">Destinations to ring, in order; empty when the call only hears the notice and voicemail.</param>
/// <param name="ForwardMode">Ring the destinations one after another or all at once.</param>
/// <param name="Whisper">Played to the answering agent before the bridge.</param>
/// <param name="Voicemail">Voicemail when nobody answers; null for none (the call ends).</param>
/// <param name="MaxCallDuration">A call is ended after this long whatever happens.</param>
/// <param name="BusinessHours">When this plan applies; null for always.</param>
/// <param name="Outside">The plan outside <paramref name="BusinessHours"/>; null to run this plan anyway.</param>
public sealed record RoutingPlan(
    Prompt Announcement,
    IReadOnlyList<ForwardTarget> Forward,
    ForwardMode ForwardMode,
    Prompt Whisper,
    VoicemailSettings? Voicemail,
    TimeSpan MaxCallDuration,
    BusinessHours? BusinessHours,
    RoutingPlan? Outside)
{
    /// <summary>The plan of a number that configures none: the recording notice and nothing else.</summary>
    public static RoutingPlan Default { get; } = new(Prompt.Default, [], ForwardMode.Sequential, Prompt.None, null, TimeSpan.FromMinutes(120), null, null);

    /// <summary>The plan that applies at <paramref name="now"/>: <see cref="Outside"/> when the business is closed and one is set, else this.</summary>
    public RoutingPlan At(DateTimeOffset now) =>
        BusinessHours is not null && Outside is not null && !BusinessHours.IsOpen(now) ? Outside : this;
}
