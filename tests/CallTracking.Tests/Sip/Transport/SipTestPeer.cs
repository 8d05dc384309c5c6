using System.Net;

namespace CallTracking.Tests.Sip.Transport;

/// <summary>The far end of a transport under test: a raw client socket on 127.0.0.1.</summary>
internal abstract class SipTestPeer : IAsyncDisposable
{
    public abstract IPEndPoint LocalEndPoint { get; }

    public abstract Task SendAsync(ReadOnlyMemory<byte> bytes);

    /// <summary>The next whole SIP message the transport sent us (a datagram, or one Content-Length framed message).</summary>
    public abstract Task<byte[]> ReceiveMessageAsync();

    public abstract ValueTask DisposeAsync();
}
