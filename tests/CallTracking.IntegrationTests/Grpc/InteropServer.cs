using System.Net;
using CallTracking.Grpc.Health;
using CallTracking.Grpc.Server;
using CallTracking.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CallTracking.IntegrationTests.Grpc;

/// <summary>
/// A Kestrel app with the wire layer, the health service and <see cref="InteropService"/>: h2c on one free
/// port (what gRPC clients speak) and HTTP/1.1 on another (gRPC-Web).
/// </summary>
public sealed class InteropServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InteropServer(WebApplication app, int http2Port, int http1Port)
    {
        _app = app;
        Http2Port = http2Port;
        Http1Port = http1Port;
    }

    public int Http2Port { get; }

    public int Http1Port { get; }

    /// <summary><c>127.0.0.1:PORT</c> of the h2c endpoint, as the client scripts take it.</summary>
    public string Target => $"127.0.0.1:{Http2Port}";

    public Uri Http1 => new($"http://127.0.0.1:{Http1Port}");

    public CancellationLog Cancellations => _app.Services.GetRequiredService<CancellationLog>();

    public GrpcHealthService Health => _app.Services.GetRequiredService<GrpcHealthService>();

    public static async Task<InteropServer> StartAsync()
    {
        var http2 = FreePorts.Next();
        var http1 = FreePorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, http2, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.Listen(IPAddress.Loopback, http1, listen => listen.Protocols = HttpProtocols.Http1);
        });
        builder.Services.AddSingleton<CancellationLog>();
        builder.Services.AddSingleton<IGrpcService, InteropService>();
        builder.Services.AddGrpcWire();
        var app = builder.Build();
        app.UseGrpcWire();
        await app.StartAsync();
        return new InteropServer(app, http2, http1);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
