using System.Net;
using CallTracking.Grpc.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CallTracking.Tests.Grpc.Server;

/// <summary>
/// A real Kestrel on 127.0.0.1 with the wire layer and methods the test registers: one h2c endpoint (HTTP/2 with
/// prior knowledge, as gRPC clients speak it) and one HTTP/1.1 endpoint (gRPC-Web, refusals).
/// </summary>
internal sealed class KestrelGrpcServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KestrelGrpcServer(WebApplication app, Uri http2, Uri http1)
    {
        _app = app;
        Http2 = http2;
        Http1 = http1;
    }

    public Uri Http2 { get; }

    public Uri Http1 { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<KestrelGrpcServer> StartAsync(Action<GrpcMethodRegistry> register, TimeProvider? timeProvider = null, Action<GrpcServerOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var ports = new int[2];
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
        });
        if (timeProvider is not null)
        {
            builder.Services.AddSingleton(timeProvider);
        }

        builder.Services.AddGrpcWire(configure);
        builder.Services.AddSingleton<IGrpcService>(new DelegateGrpcService(register));
        var app = builder.Build();
        app.UseGrpcWire();
        await app.StartAsync();
        // Kestrel reports its endpoints in the order they were configured.
        var urls = app.Urls.Select(url => new Uri(url)).ToArray();
        return new KestrelGrpcServer(app, urls[0], urls[1]);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class DelegateGrpcService(Action<GrpcMethodRegistry> register) : IGrpcService
    {
        public void Register(GrpcMethodRegistry registry) => register(registry);
    }
}
