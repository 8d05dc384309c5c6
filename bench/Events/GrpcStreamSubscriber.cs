using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using CallTracking.Grpc.V1;
using Google.Protobuf;

namespace CallTracking.Bench.Events;

/// <summary>
/// One dashboard's worth of <c>CallEvents.Subscribe</c>: its own HTTP/2 (h2c) connection to the engine, reading the
/// length-prefixed CallEvent messages as they arrive and noting the <see cref="Stopwatch"/> time of each. The
/// harness, not a gRPC library: Grpc.Net.Client is not in the registry, and a bench client should add as little
/// of its own cost as possible.
/// </summary>
internal sealed class GrpcStreamSubscriber : IAsyncDisposable
{
    private readonly HttpClient _client;
    private readonly Uri _address;
    private readonly string _apiKey;
    private readonly List<Receipt> _receipts = new(capacity: 1 << 16);
    private Task? _reading;

    public GrpcStreamSubscriber(Uri address, string apiKey)
    {
        _address = address;
        _apiKey = apiKey;
        _client = new HttpClient(new SocketsHttpHandler { EnableMultipleHttp2Connections = true }) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Every event received so far, with its arrival time. Read after <see cref="DisposeAsync"/>.</summary>
    public IReadOnlyList<Receipt> Receipts => _receipts;

    /// <summary>Why the stream ended early (a grpc-status or a transport error); null while it runs or when it was stopped.</summary>
    public string? Failure { get; private set; }

    /// <summary>Opens the stream and waits for the response headers, so events committed after this returns are this subscriber's.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_address, "/calltracking.v1.CallEvents/Subscribe"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(Frame(new SubscribeRequest())),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.Headers.TryGetValues("grpc-status", out var status))
        {
            throw new InvalidOperationException($"Subscribe was refused: grpc-status {string.Join(",", status)}");
        }

        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        _reading = ReadAsync(response, body, cancellationToken);
    }

    private async Task ReadAsync(HttpResponseMessage response, Stream body, CancellationToken cancellationToken)
    {
        var prefix = new byte[5];
        var message = new byte[64 * 1024];
        try
        {
            while (true)
            {
                if (!await ReadExactlyOrEndAsync(body, prefix, cancellationToken).ConfigureAwait(false))
                {
                    Failure = "stream ended: grpc-status " + (response.TrailingHeaders.TryGetValues("grpc-status", out var s) ? string.Join(",", s) : "?");
                    return;
                }

                var length = BinaryPrimitives.ReadInt32BigEndian(prefix.AsSpan(1));
                if (length > message.Length)
                {
                    message = new byte[length];
                }

                await body.ReadExactlyAsync(message.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
                var arrived = Stopwatch.GetTimestamp();
                var callEvent = CallEvent.Parser.ParseFrom(message, 0, length);
                _receipts.Add(new Receipt(callEvent.Id, callEvent.CallId, callEvent.Kind, arrived));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (HttpRequestException e)
        {
            Failure = e.Message;
        }
        catch (IOException e)
        {
            Failure = e.Message;
        }
        finally
        {
            response.Dispose();
        }
    }

    private static async Task<bool> ReadExactlyOrEndAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }

    private static byte[] Frame(IMessage message)
    {
        var frame = new byte[5 + message.CalculateSize()];
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), frame.Length - 5);
        message.WriteTo(frame.AsSpan(5));
        return frame;
    }

    public async ValueTask DisposeAsync()
    {
        if (_reading is not null)
        {
            await _reading.ConfigureAwait(false);
        }

        _client.Dispose();
    }

    /// <summary>One event as it arrived.</summary>
    internal readonly record struct Receipt(long Id, string CallId, string Kind, long ArrivedAt);
}
