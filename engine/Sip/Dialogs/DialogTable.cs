using System.Collections.Concurrent;
using System.Text;
using CallTracking.Engine.Sip.Messages;

namespace CallTracking.Engine.Sip.Dialogs;

/// <summary>The dialogs this engine holds, found by Call-ID and tags. Thread-safe.</summary>
public sealed class DialogTable
{
    private readonly ConcurrentDictionary<DialogId, Dialog> _dialogs = new();

    public int Count => _dialogs.Count;

    public void Add(Dialog dialog)
    {
        ArgumentNullException.ThrowIfNull(dialog);
        _dialogs[dialog.Id] = dialog;
    }

    public void Remove(Dialog dialog)
    {
        ArgumentNullException.ThrowIfNull(dialog);
        _dialogs.TryRemove(new KeyValuePair<DialogId, Dialog>(dialog.Id, dialog));
    }

    /// <summary>The dialog a received request belongs to: its To tag is ours, its From tag theirs (RFC 3261 §12.2.2).</summary>
    public bool TryFindForRequest(SipMessage request, out Dialog dialog)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ToTag.IsEmpty)
        {
            dialog = null!;
            return false;
        }

        var id = new DialogId(Encoding.ASCII.GetString(request.CallId), Encoding.ASCII.GetString(request.ToTag), Encoding.ASCII.GetString(request.FromTag));
        return _dialogs.TryGetValue(id, out dialog!);
    }

    /// <summary>The dialog a received response belongs to: our tag is in its From (requests we sent).</summary>
    public bool TryFindForResponse(SipMessage response, out Dialog dialog)
    {
        ArgumentNullException.ThrowIfNull(response);
        var id = new DialogId(Encoding.ASCII.GetString(response.CallId), Encoding.ASCII.GetString(response.FromTag), Encoding.ASCII.GetString(response.ToTag));
        return _dialogs.TryGetValue(id, out dialog!);
    }
}
