using System.Collections.Concurrent;
using System.Text;
using CallTracking.Engine.Sip.Outbound;

namespace CallTracking.IntegrationTests.Infrastructure;

/// <summary>Records what an outbound leg reports, with tasks to await each outcome.</summary>
public sealed class RecordingLegObserver : IOutboundLegObserver
{
    private readonly TaskCompletionSource<string> _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<(int Status, string Reason)> _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<bool> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<int> _provisional = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _reinvite = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<(int Status, string Sdp)> _reinviteAnswered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<string> Events { get; } = new();

    public Task<string> Answered => _answered.Task;

    public Task<(int Status, string Reason)> Failed => _failed.Task;

    public Task<bool> Ended => _ended.Task;

    public Task<int> FirstProvisional => _provisional.Task;

    public Task<string> Reinvited => _reinvite.Task;

    public Task<(int Status, string Sdp)> ReinviteAnswered => _reinviteAnswered.Task;

    public override string ToString() => string.Join(", ", Events);

    public void OnProvisional(OutboundLeg leg, int statusCode, string reason, ReadOnlyMemory<byte> sdp)
    {
        Events.Enqueue($"provisional {statusCode}");
        _provisional.TrySetResult(statusCode);
    }

    public void OnAnswered(OutboundLeg leg, ReadOnlyMemory<byte> sdp)
    {
        Events.Enqueue("answered");
        _answered.TrySetResult(Encoding.ASCII.GetString(sdp.Span));
    }

    public void OnFailed(OutboundLeg leg, int statusCode, string reason)
    {
        Events.Enqueue($"failed {statusCode}");
        _failed.TrySetResult((statusCode, reason));
    }

    public void OnEnded(OutboundLeg leg, bool byRemote)
    {
        Events.Enqueue($"ended remote={byRemote}");
        _ended.TrySetResult(byRemote);
    }

    public ReadOnlyMemory<byte>? OnReinvite(OutboundLeg leg, ReadOnlyMemory<byte> offer)
    {
        Events.Enqueue("reinvite");
        _reinvite.TrySetResult(Encoding.ASCII.GetString(offer.Span));
        return null;
    }

    public void OnReinviteAnswered(OutboundLeg leg, int statusCode, ReadOnlyMemory<byte> sdp)
    {
        Events.Enqueue($"reinvite answered {statusCode}");
        _reinviteAnswered.TrySetResult((statusCode, Encoding.ASCII.GetString(sdp.Span)));
    }
}
