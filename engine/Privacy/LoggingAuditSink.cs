using System.Text.Json;

namespace CallTracking.Engine.Privacy;

/// <summary>The default <see cref="IAuditSink"/>: one information log line per action (until the audit trail is wired in).</summary>
public sealed partial class LoggingAuditSink(ILogger<LoggingAuditSink> logger) : IAuditSink
{
    public Task RecordAsync(string action, Guid? organisationId, string actor, string subject, object? details, CancellationToken cancellationToken)
    {
        LogAudit(logger, action, organisationId, actor, subject, details is null ? "{}" : JsonSerializer.Serialize(details, details.GetType(), PrivacyJson.Options));
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit {Action} organisation {OrganisationId} by {Actor} on {Subject}: {Details}")]
    private static partial void LogAudit(ILogger logger, string action, Guid? organisationId, string actor, string subject, string details);
}
