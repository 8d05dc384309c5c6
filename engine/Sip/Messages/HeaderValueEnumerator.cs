namespace CallTracking.Engine.Sip.Messages;

/// <summary>
/// Every comma-separated element of every header line of one kind, in message order
/// (RFC 3261 §7.3.1: several lines of a list header equal one line joined with commas).
/// Commas inside quoted strings and &lt;...&gt; do not split. Meant for list headers
/// (Via, Contact, Route, Record-Route, Supported, Require, Allow...), not for values that
/// contain plain commas (Date, WWW-Authenticate).
/// </summary>
public ref struct HeaderValueEnumerator
{
    private readonly SipMessage? _message;
    private readonly HeaderKind _kind;
    private int _line;
    private int _pos;
    private ReadOnlySpan<byte> _value;

    internal HeaderValueEnumerator(SipMessage message, HeaderKind kind)
    {
        _message = message;
        _kind = kind;
        _line = -1;
        _pos = 0;
        _value = default;
        Current = default;
    }

    public ReadOnlySpan<byte> Current { get; private set; }

    public readonly HeaderValueEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_message is null)
        {
            return false;
        }
        while (true)
        {
            if (_line >= 0 && HeaderListSplitter.TryNext(_value, ref _pos, out int start, out int length))
            {
                Current = _value.Slice(start, length);
                return true;
            }
            int next = _message.FindHeader(_kind, _line + 1);
            if (next < 0)
            {
                _line = _message.HeaderCount;
                Current = default;
                return false;
            }
            _line = next;
            _value = _message.GetHeaderValue(next);
            _pos = 0;
        }
    }
}
