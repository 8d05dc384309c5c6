namespace CallTracking.Media.Sessions;

/// <summary>The live audio tap (<see cref="IMediaSession.Tap"/>): worker thread only.</summary>
public sealed partial class MediaSession
{
    private IAudioTap? _tap;

    /// <summary>This tick's 20 ms both ways; nothing while recording is paused (PCI: card details go nowhere).</summary>
    private void WriteTap()
    {
        if (_tap is null)
        {
            return;
        }

        if (_recordingPaused)
        {
            _tap.Write(default, default);
            return;
        }

        _tap.Write(_callerPcm, _otherPcm);
    }
}
