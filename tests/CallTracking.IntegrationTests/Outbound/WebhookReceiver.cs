using System.Net;
using System.Text;
using CallTracking.IntegrationTests.Infrastructure;

namespace CallTracking.IntegrationTests.Outbound;

/// <summary>
/// A real HTTP receiver (HttpListener on 127.0.0.1 and a free port) that answers each request as the test's
/// script says and records what came: headers, body, the time it came, and the status it answered (null when the
/// answer could not be written: the sender had gone).
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<int, Task<(int Status, string Body)>> _answer;
    private readonly List<ReceivedRequest> _requests = [];
    private readonly Task _loop;

    /// <param name="answer">Given the request's number (1 for the first), the status and body to answer with.</param>
    public WebhookReceiver(Func<int, Task<(int Status, string Body)>> answer)
    {
        _answer = answer;
        var port = FreePorts.Next();
        Url = $"http://127.0.0.1:{port}/hooks/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string Url { get; }

    public IReadOnlyList<ReceivedRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public async Task WaitForRequestsAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Requests.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the receiver got {Requests.Count} requests, not {count}, within {timeout}");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (HttpListenerException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task LoopAsync()
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

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
        var received = new ReceivedRequest(DateTimeOffset.UtcNow, context.Request.Url!.PathAndQuery, headers, body);
        int number;
        lock (_requests)
        {
            _requests.Add(received);
            number = _requests.Count;
        }

        var (status, answer) = await _answer(number);
        try
        {
            context.Response.StatusCode = status;
            var bytes = Encoding.UTF8.GetBytes(answer);
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
            received.AnsweredStatus = status;
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The sender hung up first: this answer never reached it.
        }
    }
}
