namespace CallTracking.Engine.Privacy;

/// <summary>The actions the engine writes to the audit trail (other features add their own names).</summary>
public static class AuditActions
{
    public const string SignIn = "session.sign_in";
    public const string SignInFailed = "session.sign_in_failed";
    public const string KeyCreated = "api_key.create";
    public const string KeyRevoked = "api_key.revoke";
    public const string UserAdded = "user.add";
    public const string UserRemoved = "user.remove";
    public const string RecordingDownload = "recording.download";
    public const string RecordingOriginalDownload = "recording.original_download";
    public const string RecordingLinkDownload = "recording.link_download";
    public const string RecordingLinkIssued = "recording.link_issue";
    public const string TranscriptView = "transcript.view";
    public const string ConfigurationChange = "configuration.change";
    public const string RecordingPaused = "recording.pause";
    public const string RecordingResumed = "recording.resume";
    public const string AccessDenied = "access.denied";
}
