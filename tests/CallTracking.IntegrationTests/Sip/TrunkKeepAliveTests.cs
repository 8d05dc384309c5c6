using CallTracking.IntegrationTests.Infrastructure;

namespace CallTracking.IntegrationTests.Sip;

/// <summary>Trunks that watch us with OPTIONS over TCP keep one connection open and expect every answer on it.</summary>
[Collection(SippCollection.Name)]
public sealed class TrunkKeepAliveTests : IClassFixture<EngineFixture>
{
    private readonly EngineProcess _engine;

    public TrunkKeepAliveTests(EngineFixture fixture)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        _engine = fixture.Engine;
    }

    [Fact]
    public async Task Options_ping_every_second_over_one_tcp_connection_gets_every_200_on_that_connection()
    {
        var port = _engine.SipPort;
        using var tcp = await RawSipTcp.ConnectAsync(port);
        var local = tcp.LocalEndPoint;
        var callId = $"keepalive-{Guid.NewGuid():N}";
        for (var ping = 1; ping <= 5; ping++)
        {
            var started = DateTime.UtcNow;
            await tcp.SendAsync(
                $"OPTIONS sip:127.0.0.1:{port} SIP/2.0\r\n" +
                $"Via: SIP/2.0/TCP {local.Address}:{local.Port};branch=z9hG4bK-{callId}-{ping}\r\n" +
                "Max-Forwards: 70\r\n" +
                $"From: <sip:trunk@{local.Address}>;tag=ka\r\n" +
                $"To: <sip:127.0.0.1:{port}>\r\n" +
                $"Call-ID: {callId}\r\n" +
                $"CSeq: {ping} OPTIONS\r\n" +
                "Content-Length: 0\r\n\r\n");

            // Read on the same socket: an answer on another connection would never arrive here.
            var response = await tcp.ReceiveAsync(TimeSpan.FromSeconds(3))
                ?? throw new Xunit.Sdk.XunitException($"Ping {ping}: no answer on the connection (closed or silent).\n{_engine.LogTail()}");
            Assert.StartsWith("SIP/2.0 200 OK\r\n", response, StringComparison.Ordinal);
            Assert.Contains($"\r\nCSeq: {ping} OPTIONS\r\n", response, StringComparison.Ordinal);
            Assert.Contains("\r\nAllow: ", response, StringComparison.Ordinal);

            if (ping < 5)
            {
                // The trunk's pace, not a wait for a condition.
                var pause = TimeSpan.FromSeconds(1) - (DateTime.UtcNow - started);
                if (pause > TimeSpan.Zero)
                {
                    await Task.Delay(pause);
                }
            }
        }
    }
}
