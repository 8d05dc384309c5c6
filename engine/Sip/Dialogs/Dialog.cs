using System.Text;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Transport;

namespace CallTracking.Engine.Sip.Dialogs;

/// <summary>
/// A UAS dialog (RFC 3261 §12.1.1): what an in-dialog request from us must carry and where it must go. Getting
/// the route set and remote target right is what keeps a trunk's ACK, BYE and refreshes flowing through the same
/// edge proxy; getting them wrong is how calls through Twilio die after 32 seconds.
/// Threading: identity fields are immutable; <see cref="State"/> and the CSeq counters are updated under a lock.
/// </summary>
public sealed class Dialog
{
    private readonly Lock _lock = new();
    private uint _localCSeq;
    private uint _remoteCSeq;
    private DialogState _state = DialogState.Early;

    private Dialog(DialogId id, string localParty, string remoteParty, string remoteTarget, string[] routeSet, uint remoteCSeq, uint localCSeq, SipRemote peer)
    {
        Id = id;
        LocalParty = localParty;
        RemoteParty = remoteParty;
        RemoteTarget = remoteTarget;
        RouteSet = routeSet;
        _remoteCSeq = remoteCSeq;
        _localCSeq = localCSeq;
        Peer = peer;
    }

    public DialogId Id { get; }

    /// <summary>Our From header value in requests we send: the INVITE's To with our tag.</summary>
    public string LocalParty { get; }

    /// <summary>Our To header value in requests we send: the INVITE's From, with its tag.</summary>
    public string RemoteParty { get; }

    /// <summary>The remote target: the URI of the INVITE's Contact (RFC 3261 §12.1.1), updated by target refreshes.</summary>
    public string RemoteTarget { get; private set; }

    /// <summary>The Record-Route values of the INVITE, in order (RFC 3261 §12.1.1 for a UAS).</summary>
    public IReadOnlyList<string> RouteSet { get; }

    /// <summary>Where the INVITE came from (for TCP, the connection we prefer to reuse).</summary>
    public SipRemote Peer { get; }

    public DialogState State
    {
        get
        {
            lock (_lock)
            {
                return _state;
            }
        }
    }

    /// <summary>Builds the UAS side of a dialog from the INVITE that creates it.</summary>
    public static Dialog FromInvite(SipMessage invite, string localTag, in SipRemote peer, uint initialLocalCSeq)
    {
        ArgumentNullException.ThrowIfNull(invite);
        var callId = Encoding.ASCII.GetString(invite.CallId);
        var remoteTag = Encoding.ASCII.GetString(invite.FromTag);
        invite.TryGetHeader(HeaderKind.To, out var to);
        invite.TryGetHeader(HeaderKind.From, out var from);
        var localParty = Encoding.ASCII.GetString(to) + ";tag=" + localTag;
        var remoteParty = Encoding.ASCII.GetString(from);

        // RFC 3261 §12.1.1: the remote target is the Contact URI; a request without one still gets a dialog
        // aimed at its From URI, so a BYE can at least be attempted.
        var remoteTarget = ReadContactUri(invite) ?? ReadUri(from) ?? string.Empty;

        var routeSet = new List<string>();
        foreach (var route in invite.GetHeaderValues(HeaderKind.RecordRoute))
        {
            routeSet.Add(Encoding.ASCII.GetString(route.Trim(" \t"u8)));
        }

        return new Dialog(new DialogId(callId, localTag, remoteTag), localParty, remoteParty, remoteTarget, [.. routeSet], invite.CSeqNumber, initialLocalCSeq, peer);
    }

    /// <summary>
    /// Builds the UAC side of a dialog from the 2xx to our INVITE (RFC 3261 §12.1.2): the route set is the
    /// Record-Route of the response in reverse order, the remote target its Contact; the remote CSeq starts empty.
    /// </summary>
    /// <param name="localParty">Our From header value with our tag, as the INVITE carried it.</param>
    public static Dialog FromResponse(SipMessage response, string localParty, uint localCSeq, in SipRemote peer)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(localParty);
        var callId = Encoding.ASCII.GetString(response.CallId);
        response.TryGetHeader(HeaderKind.To, out var to);
        var remoteTarget = ReadContactUri(response) ?? ReadUri(to) ?? string.Empty;
        var routeSet = new List<string>();
        foreach (var route in response.GetHeaderValues(HeaderKind.RecordRoute))
        {
            routeSet.Add(Encoding.ASCII.GetString(route.Trim(" \t"u8)));
        }

        routeSet.Reverse();
        var id = new DialogId(callId, Encoding.ASCII.GetString(response.FromTag), Encoding.ASCII.GetString(response.ToTag));
        var dialog = new Dialog(id, localParty, Encoding.ASCII.GetString(to), remoteTarget, [.. routeSet], 0, localCSeq, peer);
        dialog.Confirm();
        return dialog;
    }

    public void Confirm()
    {
        lock (_lock)
        {
            if (_state == DialogState.Early)
            {
                _state = DialogState.Confirmed;
            }
        }
    }

    /// <summary>Marks the dialog ended; returns false when it already was.</summary>
    public bool Terminate()
    {
        lock (_lock)
        {
            if (_state == DialogState.Terminated)
            {
                return false;
            }

            _state = DialogState.Terminated;
            return true;
        }
    }

    /// <summary>
    /// RFC 3261 §12.2.2: an in-dialog request with a CSeq lower than the last one is out of order (500).
    /// ACK and CANCEL reuse the CSeq of the request they refer to and are not checked here.
    /// </summary>
    public bool AcceptRemoteCSeq(uint cseq)
    {
        lock (_lock)
        {
            if (cseq < _remoteCSeq)
            {
                return false;
            }

            _remoteCSeq = cseq;
            return true;
        }
    }

    /// <summary>A target refresh (re-INVITE or UPDATE with a Contact) moves the remote target (RFC 3261 §12.2.2).</summary>
    public void RefreshTarget(SipMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var contact = ReadContactUri(request);
        if (contact is not null)
        {
            lock (_lock)
            {
                RemoteTarget = contact;
            }
        }
    }

    public uint NextLocalCSeq()
    {
        lock (_lock)
        {
            return ++_localCSeq;
        }
    }

    private static string? ReadContactUri(SipMessage message)
    {
        foreach (var contact in message.GetHeaderValues(HeaderKind.Contact))
        {
            return ReadUri(contact);
        }

        return null;
    }

    private static string? ReadUri(ReadOnlySpan<byte> nameAddr)
        => NameAddr.TryParse(nameAddr, out var parsed) && !parsed.IsWildcard ? Encoding.ASCII.GetString(parsed.Uri) : null;
}
