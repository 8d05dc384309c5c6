using System.Net;
using System.Net.Sockets;

namespace CallTracking.Tests.Transcription;

/// <summary>
/// Serves fixed bytes at every path on 127.0.0.1 (HttpListener): stands in for the model
/// host, which this machine cannot reach. Stopped on dispose.
/// </summary>
internal sealed class LocalFileServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly byte[] _content;
    private readonly Task _serving;

    public LocalFileServer(byte[] content)
    {
        _content = content;
        var port = FreePort();
        BaseAddress = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(BaseAddress + "/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public string BaseAddress { get; }

    public List<string> Requested { get; } = [];

    /// <summary>A port nothing listens on: connecting to it is refused at once, like an unreachable host.</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            lock (Requested)
            {
                Requested.Add(context.Request.Url!.AbsolutePath);
            }

            context.Response.ContentLength64 = _content.Length;
            await context.Response.OutputStream.WriteAsync(_content);
            context.Response.Close();
        }
    }
}
