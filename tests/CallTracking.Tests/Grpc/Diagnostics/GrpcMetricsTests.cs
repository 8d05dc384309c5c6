using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CallTracking.Grpc.Diagnostics;
using CallTracking.Tests.Grpc.Server;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.DependencyInjection;

namespace CallTracking.Tests.Grpc.Diagnostics;

public sealed class GrpcMetricsTests : IAsyncLifetime
{
    private readonly TestMethods _methods = new();
    private readonly RawGrpcClient _client = new();
    private readonly ConcurrentQueue<(string Instrument, long Value, Dictionary<string, string?> Tags)> _measurements = new();
    private readonly MeterListener _listener = new();
    private KestrelGrpcServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await KestrelGrpcServer.StartAsync(_methods.Register);
        // Only this server's meter: its factory is the meter's scope, so parallel tests do not mix in.
        var factory = _server.Services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == GrpcMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            _measurements.Enqueue((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value?.ToString()))));
        _listener.Start();
    }

    public async Task DisposeAsync()
    {
        _listener.Dispose();
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Calls_messages_statuses_and_rejections_are_counted()
    {
        await _client.SendAsync(RawGrpcClient.Request(_server.Http2, "/test.Test/Echo", RawGrpcClient.Frame(new StringValue { Value = "a" })));
        await _client.SendAsync(RawGrpcClient.Request(_server.Http2, "/test.Test/Fail", RawGrpcClient.Frame(new StringValue { Value = "5|gone" })));
        await _client.SendAsync(RawGrpcClient.Request(_server.Http2, "/test.Test/Nope", RawGrpcClient.Frame(new StringValue())));

        Assert.Equal(2, Count("grpc.server.calls.started"));
        Assert.Equal(1, Count("grpc.server.calls.completed", ("method", "/test.Test/Echo"), ("status", "OK")));
        Assert.Equal(1, Count("grpc.server.calls.completed", ("method", "/test.Test/Fail"), ("status", "NOT_FOUND")));
        Assert.Equal(2, Count("grpc.server.messages.received"));
        Assert.Equal(1, Count("grpc.server.messages.sent", ("method", "/test.Test/Echo")));
        Assert.Equal(1, Count("grpc.server.requests.rejected", ("reason", RejectReasons.UnknownMethod)));
    }

    private long Count(string instrument, params (string Key, string Value)[] tags) =>
        _measurements.Where(m => m.Instrument == instrument && tags.All(t => m.Tags.TryGetValue(t.Key, out var v) && v == t.Value)).Sum(m => m.Value);
}
