using System.Globalization;

namespace CallTracking.Engine.Sip.Sdp;

/// <summary>
/// Our side of the offer/answer exchange for one dialog: the <c>o=</c> session id
/// (fixed for the dialog), its version, the last description we sent, and whether we
/// hold the call. RFC 3264 §8: every new description we send carries the same
/// <c>o=</c> line except for a version incremented by exactly one; a description
/// identical to the last keeps the last version. Owned by the dialog; not thread-safe.
/// </summary>
public sealed class SdpSession
{
    // RFC 3264 §5: ids and versions must fit a signed 64-bit integer and the initial
    // version be below 2^62 - 1, so that it can be incremented for the life of the session.
    private const ulong MaxInitialValue = (1UL << 62) - 2;

    private readonly ulong _sessionId;
    private SdpOrigin? _origin;
    private ulong _version;

    /// <param name="sessionId">Chosen by the caller (randomness comes in from outside); below 2^62 - 1.</param>
    /// <param name="initialVersion">Version of the first description; below 2^62 - 1.</param>
    public SdpSession(ulong sessionId, ulong initialVersion = 1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sessionId, MaxInitialValue);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(initialVersion, MaxInitialValue);
        _sessionId = sessionId;
        _version = initialVersion;
    }

    public ulong SessionId => _sessionId;

    /// <summary>The version of <see cref="LastLocal"/> (or the one the first description will get).</summary>
    public ulong Version => _version;

    /// <summary>The last description we sent, offer or answer.</summary>
    public SessionDescription? LastLocal { get; private set; }

    /// <summary>
    /// What we want to do ourselves: <see cref="SdpDirection.SendRecv"/> normally,
    /// <see cref="SdpDirection.SendOnly"/> while we hold the call (RFC 3264 §8.4).
    /// </summary>
    public SdpDirection LocalDirection { get; set; } = SdpDirection.SendRecv;

    /// <summary>Stamps a description we are about to send with our <c>o=</c> line and remembers it.</summary>
    internal SessionDescription Commit(SessionDescription description, SdpConnection localConnection)
    {
        _origin ??= new SdpOrigin("-", Text(_sessionId), Text(_version), localConnection.NetworkType, localConnection.AddressType, localConnection.Address);
        if (LastLocal is not null)
        {
            description.Origin = LastLocal.Origin;
            if (!string.Equals(description.ToString(), LastLocal.ToString(), StringComparison.Ordinal))
            {
                _version++;
            }
        }

        description.Origin = _origin with { SessionVersion = Text(_version) };
        LastLocal = description;
        return description;
    }

    private static string Text(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
