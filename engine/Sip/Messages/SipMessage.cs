using System.Buffers;

namespace CallTracking.Engine.Sip.Messages;

/// <summary>
/// A parsed SIP message (RFC 3261 §7). It owns a copy of the message bytes in one pooled buffer
/// and indexes it with offsets, so spans it hands out stay valid until the next
/// <see cref="Reset"/>, parse or <see cref="Dispose"/>. Reuse one instance per receive loop:
/// parsing into it then allocates nothing. Not thread-safe; one owner at a time.
/// </summary>
public sealed class SipMessage : IDisposable
{
    /// <summary>The largest message accepted, headers and body together.</summary>
    public const int MaxMessageSize = 64 * 1024;

    /// <summary>The most header lines accepted; more is <see cref="SipParseError.TooManyHeaders"/>.</summary>
    public const int MaxHeaders = 256;

    private const int InitialHeaderCapacity = 32;

    private byte[]? _buffer;
    private SipHeaderEntry[] _headers;
    private int _headerCount;
    private SipMessageFields _fields = SipMessageFields.Empty;

    public SipMessage()
    {
        _headers = new SipHeaderEntry[InitialHeaderCapacity];
    }

    private SipMessage(int headerCapacity)
    {
        _headers = new SipHeaderEntry[Math.Max(headerCapacity, 1)];
    }

    /// <summary>The whole message as parsed (after obsolete line folding was flattened to spaces).</summary>
    public ReadOnlySpan<byte> Raw => _buffer.AsSpan(0, _fields.Length);

    public bool IsRequest => _fields.IsRequest;

    /// <summary>The start line was a status line. Both this and <see cref="IsRequest"/> are false when the start line could not be read.</summary>
    public bool IsResponse => _fields.IsResponse;

    /// <summary>The request method; <see cref="SipMethod.Unknown"/> for extension methods (see <see cref="MethodToken"/>) and responses.</summary>
    public SipMethod Method => _fields.Method;

    public ReadOnlySpan<byte> MethodToken => Slice(_fields.MethodToken);

    public ReadOnlySpan<byte> RequestUri => Slice(_fields.RequestUri);

    /// <summary>0 for requests.</summary>
    public int StatusCode => _fields.StatusCode;

    public ReadOnlySpan<byte> ReasonPhrase => Slice(_fields.ReasonPhrase);

    public int HeaderCount => _headerCount;

    public ReadOnlySpan<byte> Body => Slice(_fields.Body);

    public ReadOnlySpan<byte> CallId => Slice(_fields.CallId);

    public uint CSeqNumber => _fields.CSeqNumber;

    public SipMethod CSeqMethod => _fields.CSeqMethod;

    public ReadOnlySpan<byte> CSeqMethodToken => Slice(_fields.CSeqMethodToken);

    /// <summary>The From tag, empty when absent.</summary>
    public ReadOnlySpan<byte> FromTag => Slice(_fields.FromTag);

    /// <summary>The To tag, empty when absent (an out-of-dialog request).</summary>
    public ReadOnlySpan<byte> ToTag => Slice(_fields.ToTag);

    /// <summary>-1 when absent.</summary>
    public int MaxForwards => _fields.MaxForwards;

    /// <summary>-1 when absent.</summary>
    public int ContentLength => _fields.ContentLength;

    /// <summary>The first value of the first Via (the one a response goes back to); default when absent or malformed.</summary>
    public ViaHeader TopVia => ViaHeader.TryParse(Slice(_fields.TopVia), out ViaHeader via) ? via : default;

    /// <summary>The raw text of <see cref="TopVia"/>.</summary>
    public ReadOnlySpan<byte> TopViaValue => Slice(_fields.TopVia);

    public HeaderKind GetHeaderKind(int i) => Entry(i).Kind;

    public ReadOnlySpan<byte> GetHeaderName(int i)
    {
        SipHeaderEntry e = Entry(i);
        return _buffer.AsSpan(e.NameStart, e.NameLength);
    }

    /// <summary>The value of header line <paramref name="i"/>, trimmed; it may hold several comma-separated values.</summary>
    public ReadOnlySpan<byte> GetHeaderValue(int i)
    {
        SipHeaderEntry e = Entry(i);
        return _buffer.AsSpan(e.ValueStart, e.ValueLength);
    }

    /// <summary>The first line of that kind.</summary>
    public bool TryGetHeader(HeaderKind kind, out ReadOnlySpan<byte> value)
    {
        int i = FindHeader(kind, 0);
        value = i < 0 ? default : GetHeaderValue(i);
        return i >= 0;
    }

    /// <summary>The first line with that name, case-insensitive; a known name also finds its compact form and vice versa.</summary>
    public bool TryGetHeader(ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        HeaderKind kind = HeaderKinds.Lookup(name);
        if (kind != HeaderKind.Other)
        {
            return TryGetHeader(kind, out value);
        }
        for (int i = 0; i < _headerCount; i++)
        {
            if (_headers[i].Kind == HeaderKind.Other && SipSyntax.EqualsIgnoreCase(GetHeaderName(i), name))
            {
                value = GetHeaderValue(i);
                return true;
            }
        }
        value = default;
        return false;
    }

    public bool HasHeader(HeaderKind kind) => FindHeader(kind, 0) >= 0;

    /// <summary>Every comma-separated value of every line of that kind, in order.</summary>
    public HeaderValueEnumerator GetHeaderValues(HeaderKind kind) => new(this, kind);

    /// <summary>Index of the first line of <paramref name="kind"/> at or after <paramref name="from"/>, or -1.</summary>
    public int FindHeader(HeaderKind kind, int from)
    {
        for (int i = Math.Max(from, 0); i < _headerCount; i++)
        {
            if (_headers[i].Kind == kind)
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Forgets the parsed message; the buffer is kept for the next parse.</summary>
    public void Reset()
    {
        _headerCount = 0;
        _fields = SipMessageFields.Empty;
    }

    /// <summary>A new message that owns its own copy (for a transaction that must keep a request).</summary>
    public SipMessage Clone()
    {
        var copy = new SipMessage(_headerCount);
        if (_fields.Length > 0)
        {
            copy._buffer = ArrayPool<byte>.Shared.Rent(_fields.Length);
            Raw.CopyTo(copy._buffer);
        }
        Array.Copy(_headers, copy._headers, _headerCount);
        copy._headerCount = _headerCount;
        copy._fields = _fields;
        return copy;
    }

    public void Dispose()
    {
        byte[]? buffer = _buffer;
        _buffer = null;
        Reset();
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    internal ref SipMessageFields Fields => ref _fields;

    /// <summary>The buffer, grown to at least <paramref name="capacity"/> bytes; the first <paramref name="preserve"/> bytes survive growth.</summary>
    internal Span<byte> EnsureCapacity(int capacity, int preserve = 0)
    {
        if (_buffer is null || _buffer.Length < capacity)
        {
            byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 4096));
            if (_buffer is not null)
            {
                _buffer.AsSpan(0, preserve).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_buffer);
            }
            _buffer = bigger;
        }
        return _buffer;
    }

    /// <summary>Adds a header line; false when <see cref="MaxHeaders"/> is reached.</summary>
    internal bool AddHeader(in SipHeaderEntry entry)
    {
        if (_headerCount == _headers.Length)
        {
            if (_headerCount >= MaxHeaders)
            {
                return false;
            }
            Array.Resize(ref _headers, Math.Min(_headers.Length * 2, MaxHeaders));
        }
        _headers[_headerCount++] = entry;
        return true;
    }

    internal ReadOnlySpan<byte> Slice(ByteRange range) => _buffer.AsSpan(range.Start, range.Length);

    private SipHeaderEntry Entry(int i)
    {
        if ((uint)i >= (uint)_headerCount)
        {
            ThrowHelpers.ThrowHeaderIndexOutOfRange(i);
        }
        return _headers[i];
    }
}
