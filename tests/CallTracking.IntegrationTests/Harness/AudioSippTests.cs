using CallTracking.IntegrationTests.Audio;
using CallTracking.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace CallTracking.IntegrationTests.Harness;

/// <summary>
/// Proves the audio scenarios and <see cref="RtpPcapWriter"/> against sipp itself: a sipp caller plays
/// our pcap into a call answered by a sipp peer whose SDP points at an <see cref="RtpReceiver"/> of the
/// test, and what arrives decodes back to the source audio. No engine.
/// </summary>
[Collection(SippCollection.Name)]
public sealed class AudioSippTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(G711Law.MuLaw, "speech")]
    [InlineData(G711Law.ALaw, "sweep")]
    public async Task Sipp_plays_our_rtp_pcap_into_a_call_and_it_arrives_as_the_source_audio(G711Law law, string kind)
    {
        var directory = TestDirectory.Create($"{nameof(Sipp_plays_our_rtp_pcap_into_a_call_and_it_arrives_as_the_source_audio)}-{law}-{kind}");
        var source = kind == "speech"
            ? await TestAudio.SpeechAsync(TestAudio.CallerPhrase, directory.Path, "caller")
            : TestAudio.Sweep(TimeSpan.FromSeconds(3));
        var pcap = directory.File("caller.pcap");
        RtpPcapWriter.Write(pcap, source, law, new RtpPcapOptions { Ssrc = 0xCA11E401 });
        var packets = (source.Length + 159) / 160;

        using var receiver = new RtpReceiver();
        await using var peer = await Sipp.StartAsync(directory, new SippOptions
        {
            Name = "peer",
            Scenario = "peers/uas_answer_rtp_to.xml",
            Keys = SippAudio.AnswerRtpToKeys(receiver.Port, G711.PayloadType(law)),
            Timeout = TimeSpan.FromSeconds(60),
        });
        var uac = await Sipp.RunAsync(directory, new SippOptions
        {
            Name = "uac",
            Scenario = SippAudio.PlayAudioScenario(law),
            Remote = peer.Address,
            Service = EngineConfigs.TrackedNumber,
            Calls = 1,
            Keys = SippAudio.PlayAudioKeys(pcap, source.Duration + TimeSpan.FromMilliseconds(300)),
            Timeout = TimeSpan.FromSeconds(30),
        });
        var peerResult = await peer.StopAsync();
        await receiver.WaitForQuietAsync(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2));

        Assert.True(uac.AllSucceeded, uac.Describe());
        Assert.True(peerResult.ExitCode == 0 && peerResult.SuccessfulCalls == 1, "peer: " + peerResult.Describe());
        var received = receiver.Received;
        Assert.Equal(packets, received.Count);
        Assert.All(received, r => Assert.Equal((G711.PayloadType(law), 0xCA11E401u, 160), (r.Packet.PayloadType, r.Packet.Ssrc, r.Packet.Payload.Length)));
        Assert.Equal(Enumerable.Range(1000, packets).Select(n => (ushort)n), received.Select(r => r.Packet.SequenceNumber));
        // sipp paces the packets by the capture's time stamps, 20 ms apart: no burst. (On a loaded
        // machine it falls behind, never ahead: the upper bound is loose.)
        var spread = received[^1].Arrival - received[0].Arrival;
        Assert.InRange(spread.TotalSeconds, source.Duration.TotalSeconds - 0.3, source.Duration.TotalSeconds + 2);

        var decoded = RtpAudio.Decode(received.Select(r => r.Packet));
        var alignment = Correlation.Align(source, decoded, TimeSpan.FromMilliseconds(500));
        output.WriteLine($"{source} as {received.Count} packets over {spread.TotalMilliseconds:0} ms: {alignment}");
        Assert.Equal(0, alignment.Lag);
        Assert.True(alignment.Coefficient >= 0.99, alignment.ToString());
    }

    [Fact]
    public async Task Sipp_plays_rfc4733_digits_in_the_order_asked()
    {
        var directory = TestDirectory.Create();
        const string digits = "19#4*";
        var scenario = SippAudio.WriteDtmfScenario(directory, digits, TimeSpan.FromMilliseconds(300));

        using var receiver = new RtpReceiver();
        await using var peer = await Sipp.StartAsync(directory, new SippOptions
        {
            Name = "peer",
            Scenario = "peers/uas_answer_rtp_to.xml",
            Keys = SippAudio.AnswerRtpToKeys(receiver.Port, 0),
            Timeout = TimeSpan.FromSeconds(60),
        });
        var uac = await Sipp.RunAsync(directory, new SippOptions
        {
            Name = "uac",
            Scenario = scenario,
            Remote = peer.Address,
            Service = EngineConfigs.TrackedNumber,
            Calls = 1,
            Timeout = TimeSpan.FromSeconds(30),
        });
        await peer.StopAsync();
        await receiver.WaitForQuietAsync(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2));

        Assert.True(uac.AllSucceeded, uac.Describe());
        var packets = receiver.Packets;
        Assert.All(packets, p => Assert.Equal(101, p.PayloadType));
        // One event per RTP timestamp (each capture is one key press); in arrival order.
        var pressed = packets.GroupBy(p => p.Timestamp).Select(g => g.First().AsTelephoneEvent()!.Digit);
        Assert.Equal(digits, string.Concat(pressed));
        Assert.Equal(10 * digits.Length, packets.Count);
    }

    [Fact]
    public async Task Checked_in_dtmf_scenario_plays_1_2_3()
    {
        var directory = TestDirectory.Create();
        using var receiver = new RtpReceiver();
        await using var peer = await Sipp.StartAsync(directory, new SippOptions
        {
            Name = "peer",
            Scenario = "peers/uas_answer_rtp_to.xml",
            Keys = SippAudio.AnswerRtpToKeys(receiver.Port, 0),
            Timeout = TimeSpan.FromSeconds(60),
        });
        var uac = await Sipp.RunAsync(directory, new SippOptions
        {
            Name = "uac",
            Scenario = "uac_dtmf_sequence.xml",
            Remote = peer.Address,
            Service = EngineConfigs.TrackedNumber,
            Calls = 1,
            Timeout = TimeSpan.FromSeconds(30),
        });
        await peer.StopAsync();
        await receiver.WaitForQuietAsync(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2));

        Assert.True(uac.AllSucceeded, uac.Describe());
        Assert.Equal("123", string.Concat(receiver.Packets.GroupBy(p => p.Timestamp).Select(g => g.First().AsTelephoneEvent()!.Digit)));
    }
}
