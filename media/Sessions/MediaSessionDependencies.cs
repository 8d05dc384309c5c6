using CallTracking.Media.Recording;
using CallTracking.Media.Recording.Encryption;

namespace CallTracking.Media.Sessions;

/// <summary>What every session of one engine shares: the clock, the recorder's encoder factory, the counters, and
/// where recordings get their data keys (none: recordings are written in the clear).</summary>
internal sealed record MediaSessionDependencies(
    TimeProvider Time,
    Func<IOpusFrameEncoder> CreateRecordingEncoder,
    MediaMetrics Metrics,
    IRecordingKeySource? RecordingKeys = null);
