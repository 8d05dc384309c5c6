using System.Diagnostics.Metrics;

namespace CallTracking.Media.Sessions;

/// <summary>Counters an operator watches on the media path. Incremented from worker threads; Counter is thread-safe.</summary>
public sealed class MediaMetrics
{
    public const string MeterName = "CallTracking.Media";

    private readonly Counter<long> _malformed;
    private readonly Counter<long> _strangers;
    private readonly Counter<long> _sendFailures;
    private readonly Counter<long> _eventsDropped;
    private readonly Counter<long> _recordingFailures;
    private readonly Counter<long> _lateTicks;
    private readonly Counter<long> _recordingLate;
    private readonly Counter<long> _relayDropped;
    private readonly Counter<long> _recordingDropped;
    private readonly Histogram<double> _tickDuration;

    public MediaMetrics(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _malformed = meter.CreateCounter<long>("calltracking.media.packets.malformed", "{packet}", "RTP packets that could not be parsed");
        _strangers = meter.CreateCounter<long>("calltracking.media.packets.foreign", "{packet}", "RTP packets from an address other than the latched peer");
        _sendFailures = meter.CreateCounter<long>("calltracking.media.send.failures", "{packet}", "RTP packets the socket refused");
        _eventsDropped = meter.CreateCounter<long>("calltracking.media.events.dropped", "{event}", "Media events lost because the engine did not read them in time");
        _recordingFailures = meter.CreateCounter<long>("calltracking.media.recordings.failed", "{recording}", "Recordings that could not be opened (disk full, permissions)");
        _recordingLate = meter.CreateCounter<long>("calltracking.media.recording.late", "{packet}", "Received packets that arrived after the recording had committed their time (more than 300 ms late) and are missing from it");
        _lateTicks = meter.CreateCounter<long>("calltracking.media.ticks.late", "{tick}", "Worker ticks that started more than 10 ms after their time");
        _recordingDropped = meter.CreateCounter<long>("calltracking.media.recording.dropped", "{frame}", "Recorded 20 ms frames written as silence because the recording encoder thread fell more than 1.28 s behind");
        _relayDropped = meter.CreateCounter<long>("calltracking.media.dtmf.relay.dropped", "{event}", "Key presses not relayed to the bridged leg because its queue was full");
        _tickDuration = meter.CreateHistogram<double>("calltracking.media.tick.duration", "ms", "Time one worker tick took over all its calls");
    }

    public void Malformed() => _malformed.Add(1);

    public void Stranger() => _strangers.Add(1);

    public void SendFailed() => _sendFailures.Add(1);

    public void EventDropped() => _eventsDropped.Add(1);

    public void RecordingFailed() => _recordingFailures.Add(1);

    public void RelayDropped() => _relayDropped.Add(1);

    public void RecordingLate(long packets)
    {
        if (packets > 0)
        {
            _recordingLate.Add(packets);
        }
    }

    public void RecordingDropped(long frames)
    {
        if (frames > 0)
        {
            _recordingDropped.Add(frames);
        }
    }

    public void LateTick() => _lateTicks.Add(1);

    public void TickTook(TimeSpan duration) => _tickDuration.Record(duration.TotalMilliseconds);
}
