using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using CallTracking.Media.Audio;
using CallTracking.Media.Codecs;
using CallTracking.Media.Recording;
using CallTracking.Media.Rtp;
using CallTracking.Media.Sessions;
using CallTracking.Media.Workers;

namespace CallTracking.Tests.Media.Sessions;

/// <summary>A prompt leaves as RTP a worker tick at a time: one 20 ms packet per tick, in order, marker on the first.</summary>
public sealed class PromptPlaybackTests : IDisposable
{
    private readonly Meter _meter = new("test.prompt");
    private readonly string _directory = Directory.CreateTempSubdirectory("calltracking-prompt-").FullName;

    [Theory]
    [InlineData(AudioCodec.Pcmu, 0)]
    [InlineData(AudioCodec.Pcma, 8)]
    public void Prompt_is_sent_as_consecutive_20_ms_packets_with_a_marker_on_the_first(AudioCodec codec, int payloadType)
    {
        var ports = new RtpPortAllocator(new RtpPortRange(41400, 41499));
        using var engine = new MediaEngine(new MediaEngineOptions(IPAddress.Loopback, ports.Range, 1), ports, () => new OpusRecordingEncoder(), TimeProvider.System, _meter);
        Assert.True(engine.TryOpen(out var session));
        using var caller = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 2000 };
        caller.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        session.Start(new MediaLegOptions(codec, payloadType, 101, (IPEndPoint)caller.LocalEndPoint!, false, TimeSpan.FromSeconds(30)), null);

        // 1 s of a 400 Hz tone as a 16 kHz WAV: loading resamples it to 8 kHz.
        var tone = new short[16000];
        for (var i = 0; i < tone.Length; i++)
        {
            tone[i] = (short)(8000 * Math.Sin(2 * Math.PI * 400 * i / 16000.0));
        }

        var wav = Path.Combine(_directory, "notice.wav");
        File.WriteAllBytes(wav, WavWriter.ToBytes(tone, 16000, 1));
        var prompt = PromptAudio.FromWav(wav);
        Assert.Equal(8000, prompt.Samples.Length);
        session.Play(prompt);

        var worker = engine.Workers[0];
        var received = new List<(bool Marker, ushort Sequence, uint Timestamp, short[] Pcm)>();
        var buffer = new byte[1500];
        for (var tick = 0; tick < 60; tick++)
        {
            worker.Tick(TimeProvider.System.GetTimestamp());
            while (caller.Available > 0)
            {
                var length = caller.Receive(buffer);
                Assert.True(RtpPacket.TryParse(buffer.AsSpan(0, length), out var packet));
                Assert.Equal(payloadType, packet.PayloadType);
                var pcm = new short[packet.Payload.Length];
                if (codec == AudioCodec.Pcma)
                {
                    G711.ALawDecode(packet.Payload, pcm);
                }
                else
                {
                    G711.MuLawDecode(packet.Payload, pcm);
                }

                received.Add((packet.Marker, packet.SequenceNumber, packet.Timestamp, pcm));
            }
        }

        // 1 s of prompt = 50 packets of 160 samples, then nothing more.
        Assert.Equal(50, received.Count);
        Assert.True(received[0].Marker);
        Assert.All(received.Skip(1), p => Assert.False(p.Marker));
        for (var i = 1; i < received.Count; i++)
        {
            Assert.Equal((ushort)(received[i - 1].Sequence + 1), received[i].Sequence);
            Assert.Equal(received[i - 1].Timestamp + 160, received[i].Timestamp);
            Assert.Equal(160, received[i].Pcm.Length);
        }

        // The audio is the prompt (G.711 is lossy: compare levels, not samples).
        var sent = received.SelectMany(p => p.Pcm).ToArray();
        var energyError = sent.Zip(prompt.Samples.ToArray(), (a, b) => (double)(a - b) * (a - b)).Sum() / prompt.Samples.ToArray().Sum(s => (double)s * s);
        Assert.True(energyError < 0.01, $"relative error {energyError:F4}");
        session.Stop();
        worker.Tick(TimeProvider.System.GetTimestamp());
    }

    public void Dispose()
    {
        _meter.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
