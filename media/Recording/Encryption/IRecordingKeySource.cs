namespace CallTracking.Media.Recording.Encryption;

/// <summary>
/// Gives each new recording its own data key. The engine's implementation wraps the key with its master key and
/// stores it (so deleting that one row shreds the recording); called once per recording on a media worker, so
/// it must not block on I/O.
/// </summary>
public interface IRecordingKeySource
{
    /// <summary>A fresh key for the recording about to be written at <paramref name="path"/>.</summary>
    RecordingDataKey CreateKey(string path);
}
