using System.Diagnostics;
using System.Net;
using CallTracking.IntegrationTests.Audio;
using CallTracking.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace CallTracking.IntegrationTests.Harness;

/// <summary>
/// The audio test tools on their own: G.711 against sox, WAV and pcap round trips, the Debian
/// captures read back, correlation finding a known delay fast. No sipp, no engine.
/// </summary>
public sealed class AudioToolTests(ITestOutputHelper output)
{
    [Fact]
    public void G711_decodes_and_re_encodes_every_code_to_itself()
    {
        for (var code = 0; code < 256; code++)
        {
            Assert.Equal((byte)code, G711.ALawEncode(G711.ALawDecode((byte)code)));
            // 0x7F is µ-law's negative zero: it decodes to 0, which encodes as +0 (0xFF).
            Assert.Equal(code == 0x7F ? (byte)0xFF : (byte)code, G711.MuLawEncode(G711.MuLawDecode((byte)code)));
        }

        Assert.Equal(G711.MuLawSilence, G711.MuLawEncode(0));
        Assert.Equal(G711.ALawSilence, G711.ALawEncode(0));
        Assert.Equal(32124, G711.MuLawDecode(0x80));
        Assert.Equal(-32124, G711.MuLawDecode(0x00));
        Assert.Equal(32256, G711.ALawDecode(0xAA));
        Assert.Equal(-8, G711.ALawDecode(0x55));
    }

    [Theory]
    [InlineData(G711Law.MuLaw, "ul")]
    [InlineData(G711Law.ALaw, "al")]
    public async Task G711_encoder_matches_sox_on_a_sweep(G711Law law, string soxType)
    {
        var directory = TestDirectory.Create($"{nameof(G711_encoder_matches_sox_on_a_sweep)}-{law}");
        var sweep = TestAudio.Sweep(TimeSpan.FromSeconds(2), amplitude: 0.9);
        var wav = directory.File("sweep.wav");
        Wav.Write(wav, sweep);
        var raw = directory.File($"sweep.{soxType}");
        // -D: no dither, so that sox encodes the samples as they are.
        await ExternalTool.RunAsync("sox", ["-D", wav, "-t", soxType, raw]);

        var theirs = await File.ReadAllBytesAsync(raw);
        var ours = G711.Encode(sweep.Samples, law);
        Assert.Equal(ours.Length, theirs.Length);
        // sox rounds to 13/14 bits before it looks up the code where the reference code truncates:
        // a sample near a decision level may land one step away, never further.
        var differing = ours.Where((b, i) => b != theirs[i]).Count();
        Assert.True(differing < ours.Length / 20, $"{differing} of {ours.Length} codes differ from sox");
        Assert.All(Enumerable.Range(0, ours.Length), i => Assert.InRange(Level(ours[i], law) - Level(theirs[i], law), -1, 1));
        var decoded = G711.Decode(ours, law);
        Assert.True(Correlation.CoefficientAt(sweep.Samples, decoded, 0) > 0.999);
        Assert.True(Correlation.CoefficientAt(G711.Decode(theirs, law), decoded, 0) > 0.9999);
    }

    [Fact]
    public void Wav_round_trips_mono_and_stereo()
    {
        var directory = TestDirectory.Create();
        var left = TestAudio.Sweep(TimeSpan.FromMilliseconds(500));
        var right = TestAudio.Tone(1000, TimeSpan.FromMilliseconds(500));
        Wav.Write(directory.File("mono.wav"), left);
        Wav.Write(directory.File("stereo.wav"), 8000, left.Samples, right.Samples);

        var mono = Wav.ReadMono(directory.File("mono.wav"));
        var stereo = Wav.Read(directory.File("stereo.wav"));

        Assert.Equal(left.Samples, mono.Samples);
        Assert.Equal(8000, mono.SampleRate);
        Assert.Equal(2, stereo.ChannelCount);
        Assert.Equal(left.Samples, stereo.Channels[0]);
        Assert.Equal(right.Samples, stereo.Channels[1]);
        Assert.Throws<InvalidDataException>(() => Wav.ReadMono(directory.File("stereo.wav")));
    }

    [Fact]
    public void Sweep_is_deterministic_and_covers_the_telephone_band()
    {
        var a = TestAudio.Sweep(TimeSpan.FromSeconds(1));
        var b = TestAudio.Sweep(TimeSpan.FromSeconds(1));
        Assert.Equal(a.Samples, b.Samples);
        Assert.Equal(8000, a.Length);
        Assert.InRange(Levels.Dbfs(a), -10, -8); // a sine at half scale: -9 dBFS
        Assert.Equal(0, a.Samples[0]);
        // Zero crossings per second grow from about 2 × 200 to about 2 × 3400.
        Assert.InRange(ZeroCrossings(a.Slice(0, 400).Samples) * 20, 300, 600);
        Assert.InRange(ZeroCrossings(a.Slice(7500, 400).Samples) * 20, 5600, 7000);
    }

    [Fact]
    public void Rtp_pcap_writer_writes_20_ms_g711_packets_with_valid_headers()
    {
        var audio = TestAudio.Sweep(TimeSpan.FromMilliseconds(1010)); // 50.5 frames: the last is padded
        var options = new RtpPcapOptions
        {
            Ssrc = 0x11223344,
            FirstSequenceNumber = 65534,
            FirstTimestamp = uint.MaxValue - 159,
            Source = new IPEndPoint(IPAddress.Parse("192.0.2.1"), 4000),
            Destination = new IPEndPoint(IPAddress.Parse("192.0.2.2"), 6000),
        };
        var bytes = RtpPcapWriter.Build(audio, G711Law.ALaw, options);

        Assert.Equal(0xA1B2C3D4u, BitConverter.ToUInt32(bytes, 0));
        var pcap = PcapReader.Parse(bytes);
        Assert.Equal(1u, pcap.LinkType);
        Assert.Equal(51, pcap.RecordCount);
        Assert.All(pcap.UdpPackets, p => Assert.True(p.Ipv4ChecksumValid && p.UdpChecksumValid, $"packet {p.Index} checksum"));
        Assert.All(pcap.UdpPackets, p => Assert.Equal((options.Source, options.Destination), (p.Source, p.Destination)));
        Assert.Equal(TimeSpan.FromMilliseconds(1000), pcap.Duration);
        Assert.Equal(TimeSpan.FromMilliseconds(20), pcap.UdpPackets[1].Time - pcap.UdpPackets[0].Time);

        var rtp = pcap.RtpPackets;
        Assert.Equal(new Dictionary<byte, int> { [8] = 51 }, pcap.PayloadTypes);
        Assert.True(rtp[0].Marker);
        Assert.All(rtp.Skip(1), p => Assert.False(p.Marker));
        Assert.All(rtp, p => Assert.Equal((0x11223344u, 160), (p.Ssrc, p.Payload.Length)));
        Assert.Equal([65534, 65535, 0, 1], rtp.Take(4).Select(p => (int)p.SequenceNumber));
        Assert.Equal([uint.MaxValue - 159, 0u, 160u], rtp.Take(3).Select(p => p.Timestamp));
        Assert.All(rtp[^1].Payload.Skip(80), b => Assert.Equal(G711.ALawSilence, b));

        var decoded = RtpAudio.Decode(rtp);
        Assert.Equal(51 * 160, decoded.Length);
        Assert.True(Correlation.CoefficientAt(audio.Samples, decoded.Samples, 0) > 0.999);
    }

    [Fact]
    public void Pcap_reader_reads_the_g711a_capture_sipp_ships()
    {
        var pcap = PcapReader.Read("/usr/share/sip-tester/g711a.pcap");

        Assert.Equal(1u, pcap.LinkType);
        // 236 PCMA packets of 30 ms (240 samples), not 20 ms: about 7 s.
        Assert.Equal(new Dictionary<byte, int> { [8] = 236 }, pcap.PayloadTypes);
        Assert.All(pcap.RtpPackets, p => Assert.Equal(240, p.Payload.Length));
        Assert.All(pcap.UdpPackets, p => Assert.True(p.Ipv4ChecksumValid, $"packet {p.Index}"));
        Assert.InRange(pcap.Duration.TotalSeconds, 6.9, 7.2);
        var audio = RtpAudio.Decode(pcap.RtpPackets);
        Assert.False(Levels.IsSilent(audio), pcap.ToString());
    }

    public static TheoryData<char> SippDtmfDigits() => new(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#']);

    [Theory]
    [MemberData(nameof(SippDtmfDigits))]
    public void Pcap_reader_finds_the_rfc4733_event_in_each_dtmf_capture_sipp_ships(char digit)
    {
        var pcap = PcapReader.Read(SippAudio.DtmfPcap(digit));

        var rtp = pcap.RtpPackets;
        Assert.NotEmpty(rtp);
        var payloadType = Assert.Single(pcap.PayloadTypes.Keys);
        Assert.InRange(payloadType, (byte)96, (byte)127);
        var events = rtp.Select(p => p.AsTelephoneEvent()!).ToList();
        Assert.All(events, e => Assert.Equal(TelephoneEvent.EventOf(digit), e.Event));
        Assert.All(events, e => Assert.Equal(digit, e.Digit));
        Assert.True(events[^1].End, pcap.ToString());
        Assert.Single(rtp.Select(p => p.Timestamp).Distinct());
    }

    [Fact]
    public void Correlation_finds_a_known_delay_in_10_s_of_audio_within_a_second()
    {
        var source = TestAudio.Sweep(TimeSpan.FromSeconds(10));
        const int delay = 1234; // 154.25 ms
        var delayed = PcmAudio.Silence(TimeSpan.FromSeconds(delay / 8000.0)).Append(source, PcmAudio.Silence(TimeSpan.FromMilliseconds(300)));
        var noisy = new PcmAudio(Noise(delayed.Samples, 500, seed: 7), 8000);

        // The best of three runs: the machine is shared, the algorithm is what is measured.
        var alignment = Correlation.Align(source, noisy, TimeSpan.FromMilliseconds(500));
        var fastest = TimeSpan.MaxValue;
        for (var run = 0; run < 3; run++)
        {
            var watch = Stopwatch.StartNew();
            Correlation.Align(source, noisy, TimeSpan.FromMilliseconds(500));
            fastest = TimeSpan.FromTicks(Math.Min(fastest.Ticks, watch.Elapsed.Ticks));
        }

        output.WriteLine($"{alignment}, fastest of 3 runs {fastest.TotalMilliseconds:0} ms");
        Assert.Equal(delay, alignment.Lag);
        Assert.True(alignment.Coefficient > 0.99, alignment.ToString());
        Assert.True(fastest < TimeSpan.FromSeconds(1), $"took {fastest}");
        Assert.Equal(Correlation.CoefficientAt(source.Samples, noisy.Samples, delay), alignment.Coefficient, 6);

        // The other way round the lag is negative; unrelated audio does not correlate.
        Assert.Equal(-delay, Correlation.Align(noisy, source, TimeSpan.FromMilliseconds(500)).Lag);
        var unrelated = new PcmAudio(Noise(new short[source.Length], 8000, seed: 3), 8000);
        Assert.True(Correlation.Align(source, unrelated, TimeSpan.FromMilliseconds(500)).Coefficient < 0.1);
    }

    [Fact]
    public void Levels_tell_silence_from_sound()
    {
        var silence = PcmAudio.Silence(TimeSpan.FromSeconds(1));
        var hiss = new PcmAudio(Noise(silence.Samples, 30, seed: 1), 8000); // about -61 dBFS
        var tone = PcmAudio.Silence(TimeSpan.FromMilliseconds(500)).Append(TestAudio.Tone(440, TimeSpan.FromSeconds(1)));

        Assert.True(Levels.IsSilent(silence));
        Assert.True(Levels.IsSilent(hiss));
        Assert.False(Levels.IsSilent(tone));
        Assert.Equal(double.NegativeInfinity, Levels.Dbfs(silence));
        var span = Levels.ActiveSpan(tone);
        Assert.NotNull(span);
        Assert.Equal(TimeSpan.FromMilliseconds(500), span.Value.Start);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), span.Value.End);
        Assert.Null(Levels.ActiveSpan(silence));
    }

    [Fact]
    public async Task Speech_is_8_khz_mono_and_not_silent()
    {
        var directory = TestDirectory.Create();
        var speech = await TestAudio.SpeechAsync(TestAudio.GreetingPhrase, directory.Path, "greeting");
        var again = await TestAudio.SpeechAsync(TestAudio.GreetingPhrase, directory.Path, "greeting-again");

        Assert.Equal(8000, speech.SampleRate);
        Assert.InRange(speech.Duration.TotalSeconds, 2, 6);
        Assert.InRange(Levels.Dbfs(speech), -35, -6);
        Assert.Equal(speech.Samples, again.Samples);
    }

    [Fact]
    public async Task A_missing_tool_fails_with_the_package_to_install()
    {
        var error = await Assert.ThrowsAsync<AudioToolMissingException>(() => ExternalTool.RunAsync("espeak-ng-not-here", ["x"]));
        Assert.Contains("not installed", error.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install espeak-ng sox opus-tools", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The quantisation level of a code, -128 … 127, monotonic in the value it stands for.</summary>
    private static int Level(byte code, G711Law law)
    {
        var value = law == G711Law.MuLaw ? ~code & 0xFF : code ^ 0x55;
        var positive = law == G711Law.MuLaw ? (value & 0x80) == 0 : (value & 0x80) != 0;
        return positive ? value & 0x7F : -(value & 0x7F) - 1;
    }

    private static int ZeroCrossings(short[] samples) =>
        samples.Zip(samples.Skip(1)).Count(p => (p.First < 0) != (p.Second < 0));

    private static short[] Noise(short[] samples, int amplitude, int seed)
    {
        var random = new Random(seed);
        return samples.Select(s => (short)Math.Clamp(s + random.Next(-amplitude, amplitude + 1), short.MinValue, short.MaxValue)).ToArray();
    }
}
