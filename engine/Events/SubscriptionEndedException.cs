namespace CallTracking.Engine.Events;

/// <summary>Thrown by <see cref="EventSubscription.ReadAllAsync"/> when the feed ended the subscription; the subscriber resumes after <see cref="ResumeAfter"/>.</summary>
public sealed class SubscriptionEndedException : Exception
{
    public SubscriptionEndedException(SubscriptionEndReason reason, long resumeAfter)
        : base(reason == SubscriptionEndReason.FellBehind
            ? $"subscriber fell behind; resume with resume_after={resumeAfter}"
            : $"the event feed stopped (the engine is shutting down); resume with resume_after={resumeAfter}")
    {
        Reason = reason;
        ResumeAfter = resumeAfter;
    }

    public SubscriptionEndedException()
        : this(SubscriptionEndReason.FeedStopped, 0)
    {
    }

    public SubscriptionEndedException(string message)
        : base(message)
    {
    }

    public SubscriptionEndedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SubscriptionEndReason Reason { get; }

    /// <summary>The id of the last event delivered (or the position the subscription started from when none was).</summary>
    public long ResumeAfter { get; }
}
