using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CallTracking.IntegrationTests.Audio;
using CallTracking.IntegrationTests.Infrastructure;
using CallTracking.IntegrationTests.Sip;
using Xunit.Abstractions;

namespace CallTracking.IntegrationTests.Media;

/// <summary>
/// Symmetric RTP latching with the default Media:Latching=sdp: the engine hears only the caller. Two strangers
/// send loud RTP (a tone, payload type 0) to the engine's RTP port while sipp plays speech: one from 127.0.0.2
/// (not the address the SDP named) from the moment the call is answered, before the engine has latched; one from
/// 127.0.0.1 but another port, after it latched on sipp. Neither may reach the recording or the statistics.
/// </summary>
[Collection(SippCollection.Name)]
public sealed class LatchingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Rtp_from_strangers_is_not_recorded_only_the_latched_caller_is()
    {
        var directory = TestDirectory.Create();
        var caller = await MediaCalls.CallerAudioAsync(directory);
        var pcap = MediaCalls.WritePcap(directory, caller, G711Law.MuLaw);

        // One RTP/RTCP pair, so the test knows the engine's RTP port before the answer names it.
        var first = FreePorts.NextRange(3);
        var rtpPort = first + (first & 1);
        await using var engine = await SippAgainstEngine.StartEngineAsync(directory, $"--Media:PortRange={rtpPort}-{rtpPort + 1}");

        var uacRun = Sipp.RunAsync(directory, SippAgainstEngine.At(engine, new SippOptions
        {
            Name = "uac",
            Scenario = SippAudio.PlayAudioScenario(G711Law.MuLaw),
            Service = EngineConfigs.TrackedNumber,
            Calls = 1,
            Keys = SippAudio.PlayAudioKeys(pcap, caller.Duration + TimeSpan.FromMilliseconds(500)),
            Timeout = caller.Duration + TimeSpan.FromSeconds(10),
        }));

        await SippAgainstEngine.WaitForLogAsync(engine, "@127.0.0.1 answered");
        var target = new IPEndPoint(IPAddress.Loopback, rtpPort);
        using var stop = new CancellationTokenSource();
        var otherAddress = SendToneAsync(IPAddress.Parse("127.0.0.2"), target, 1000, TimeSpan.Zero, stop.Token);
        var otherPort = SendToneAsync(IPAddress.Loopback, target, 1500, TimeSpan.FromSeconds(1), stop.Token);
        var uac = await uacRun;
        await stop.CancelAsync();
        var sentByStrangers = await otherAddress + await otherPort;

        SippAgainstEngine.AssertAllCallsSucceeded(uac, 1, engine);
        var answer = uac.Messages.First(m => m.Received && m.StatusCode == 200 && m.Method == "INVITE");
        Assert.Contains(answer.SdpLines, l => l.StartsWith($"m=audio {rtpPort.ToString(CultureInfo.InvariantCulture)} ", StringComparison.Ordinal));
        var ready = await MediaCalls.WaitForRecordingAsync(engine, uac.Messages[0].CallId!);
        var recording = await OpusFiles.DecodeStereoAsync(ready.Path);
        var match = MediaCalls.ChunkedAlign(caller, recording.Left, TimeSpan.FromSeconds(2));
        output.WriteLine($"strangers sent {sentByStrangers} packets to port {rtpPort}; engine counted {ready.Packets} received, {ready.Lost} lost; {match}");

        var packets = (caller.Length + 159) / 160;
        Assert.True(sentByStrangers > 100, $"the strangers sent only {sentByStrangers} packets");
        Assert.True(ready.Packets == packets && ready.Lost == 0, $"{ready} (sipp sent {packets})");
        Assert.True(match.Coefficient >= 0.9, match.ToString());
        Assert.True(match.LagSpread <= TimeSpan.FromMilliseconds(60), match.ToString());
    }

    /// <summary>RTP packets (PCMU, its own SSRC) of a tone at -6 dBFS every 20 ms from <paramref name="from"/>:any to <paramref name="to"/>; returns how many it sent.</summary>
    private static async Task<int> SendToneAsync(IPAddress from, IPEndPoint to, double hz, TimeSpan delay, CancellationToken stop)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(from, 0));
        var tone = G711.Encode(TestAudio.Tone(hz, TimeSpan.FromSeconds(1)).Samples, G711Law.MuLaw);
        var packet = new byte[12 + 160];
        packet[0] = 0x80;
        var ssrc = (uint)Random.Shared.Next();
        var sent = 0;
        try
        {
            await Task.Delay(delay, stop);
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
            while (await timer.WaitForNextTickAsync(stop))
            {
                packet[1] = (byte)(sent == 0 ? 0x80 : 0x00);
                BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)(500 + sent));
                BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), (uint)(1_000_000 + (160 * sent)));
                BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
                tone.AsSpan(160 * (sent % 50), 160).CopyTo(packet.AsSpan(12));
                await socket.SendToAsync(packet, to);
                sent++;
            }
        }
        catch (OperationCanceledException)
        {
        }

        return sent;
    }
}
