using CallTracking.Media.Recording;

namespace CallTracking.Media.Sessions;

/// <summary>What every session of one engine shares: the clock, the recorder's encoder factory, the counters.</summary>
internal sealed record MediaSessionDependencies(
    TimeProvider Time,
    Func<IOpusFrameEncoder> CreateRecordingEncoder,
    MediaMetrics Metrics);
