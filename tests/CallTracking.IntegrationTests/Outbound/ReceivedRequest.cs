namespace CallTracking.IntegrationTests.Outbound;

/// <summary>One request a <see cref="WebhookReceiver"/> got.</summary>
internal sealed record ReceivedRequest(DateTimeOffset At, string Path, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>The status the receiver managed to answer with; null while answering or when the sender had gone.</summary>
    public int? AnsweredStatus { get; set; }

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
