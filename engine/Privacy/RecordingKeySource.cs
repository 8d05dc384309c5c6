using System.Threading.Channels;
using CallTracking.Media.Recording.Encryption;

namespace CallTracking.Engine.Privacy;

/// <summary>
/// Gives each recording a fresh data key (on the media worker, without I/O) and stores its wrapped form in
/// <c>data_keys</c> from a background loop, retrying while the database is away. A key made and not yet stored
/// when the process dies leaves that one recording unreadable: the price of never blocking a media worker on the
/// database. Keys still queued are stored before the engine stops.
/// </summary>
public sealed partial class RecordingKeySource : BackgroundService, IRecordingKeySource
{
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);

    private readonly DataKeyStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<RecordingKeySource> _logger;
    private readonly Channel<WrappedDataKey> _pending = Channel.CreateUnbounded<WrappedDataKey>(new UnboundedChannelOptions { SingleReader = true });

    public RecordingKeySource(DataKeyStore store, TimeProvider time, ILogger<RecordingKeySource> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _store = store;
        _time = time;
        _logger = logger;
    }

    /// <summary>Keys made and not yet stored.</summary>
    public int Pending => _pending.Reader.Count;

    public RecordingDataKey CreateKey(string path)
    {
        var (row, key) = _store.NewKey(DataKeyStore.RecordingPurpose, callId: null, recordingPath: path);

        // Unbounded: one small row per call started; a database outage long enough to matter fails the calls' writes first.
        _pending.Writer.TryWrite(row);
        return new RecordingDataKey(row.Id, key);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _pending.Writer.TryComplete();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var row in _pending.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    await _store.StoreAsync(row, CancellationToken.None).ConfigureAwait(false);
                    break;
                }
                catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException or TimeoutException)
                {
                    LogStoreFailed(row.Id, e.Message);
                    if (stoppingToken.IsCancellationRequested && _pending.Reader.Count > 1000)
                    {
                        return;
                    }

                    await Task.Delay(Retry, _time, CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store recording data key {KeyId} yet ({Reason}); retrying")]
    private partial void LogStoreFailed(Guid keyId, string reason);
}
