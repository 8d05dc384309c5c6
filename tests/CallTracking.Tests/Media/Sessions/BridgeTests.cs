using CallTracking.Media.Codecs;
using CallTracking.Media.Sessions;
using CallTracking.Tests.Media.Recording;
using Microsoft.Extensions.Time.Testing;

namespace CallTracking.Tests.Media.Sessions;

/// <summary>
/// Two legs of a B2BUA call bridged on one media worker: real loopback sockets, the worker ticked by the test on a
/// fake clock (20 ms per tick). The caller's leg A speaks PCMU with telephone-event 101, the business's leg B PCMA
/// with telephone-event 96.
/// </summary>
public sealed class BridgeTests : IDisposable
{
    private const int FirstPort = 42000;
    private readonly FakeTimeProvider _time = new();
    private readonly BridgeRig _rig;
    private readonly List<IDisposable> _phones = [];

    public BridgeTests()
    {
        _rig = new BridgeRig(FirstPort, _time, () => _time.Advance(TimeSpan.FromMilliseconds(20)));
    }

    private (IMediaSession A, Phone PhoneA, IMediaSession B, Phone PhoneB) OpenPair(int? telephoneEventB = 96, string? recordingPath = null)
    {
        var (a, phoneA) = _rig.Open(AudioCodec.Pcmu);
        var (b, phoneB) = _rig.Open(AudioCodec.Pcma, colocateWith: a);
        _phones.Add(phoneA);
        _phones.Add(phoneB);
        a.Start(BridgeRig.Options(phoneA, 101), recordingPath);
        b.Start(BridgeRig.Options(phoneB, telephoneEventB), null);
        return (a, phoneA, b, phoneB);
    }

    private void Run(int ticks, Phone phoneA, Phone phoneB, short[]? intoA = null, short[]? intoB = null, int startTick = 0)
    {
        for (var tick = startTick; tick < startTick + ticks; tick++)
        {
            if (intoA is not null && (tick + 1) * 160 <= intoA.Length)
            {
                phoneA.Send(intoA.AsSpan(tick * 160, 160));
            }

            if (intoB is not null && (tick + 1) * 160 <= intoB.Length)
            {
                phoneB.Send(intoB.AsSpan(tick * 160, 160));
            }

            _rig.Tick();
            phoneA.Drain();
            phoneB.Drain();
        }
    }

    private static PromptAudio Tone(double frequency, TimeSpan length) => new("tone", Signals.Tone(frequency, 8000, length));

    private static void AssertContinuous(IReadOnlyList<ReceivedPacket> packets)
    {
        Assert.Single(packets.Select(p => p.Ssrc).Distinct());
        for (var i = 1; i < packets.Count; i++)
        {
            Assert.Equal((ushort)(packets[i - 1].Sequence + 1), packets[i].Sequence);
        }
    }

    [Fact]
    public void Colocated_legs_share_a_worker_and_legs_on_different_workers_cannot_be_bridged()
    {
        var (a, phoneA) = _rig.Open(AudioCodec.Pcmu);
        var (b, phoneB) = _rig.Open(AudioCodec.Pcma, colocateWith: a);
        var (c, phoneC) = _rig.Open(AudioCodec.Pcmu);
        _phones.AddRange([phoneA, phoneB, phoneC]);
        Assert.Equal(2, _rig.WorkerOf(2).Count);
        Assert.Equal(1, _rig.WorkerOf(1).Count);
        a.Bridge(b);
        Assert.Throws<ArgumentException>(() => a.Bridge(c));
        Assert.Throws<ArgumentException>(() => a.Bridge(a));
        Assert.Throws<ArgumentException>(() => _rig.Engine.TryOpen(out _, new FakeMediaSessionForBridge()));
        a.Stop();
        b.Stop();
        c.Stop();
        _rig.Tick();
    }

    [Fact]
    public void Bridged_pcmu_and_pcma_legs_carry_each_others_audio_transcoded()
    {
        var (a, phoneA, b, phoneB) = OpenPair();
        a.Bridge(b);
        var intoA = BridgeSignals.Sweep(300, 3000, TimeSpan.FromSeconds(2));
        var intoB = BridgeSignals.Sweep(3000, 300, TimeSpan.FromSeconds(2), 6000);
        Run(110, phoneA, phoneB, intoA, intoB);

        // Each phone hears the other in its own codec, a packet per tick, on one continuous stream.
        Assert.All(phoneB.Received, p => Assert.Equal(8, p.PayloadType));
        Assert.All(phoneA.Received, p => Assert.Equal(0, p.PayloadType));
        Assert.InRange(phoneB.Received.Count, 108, 110);
        AssertContinuous(phoneA.Received);
        AssertContinuous(phoneB.Received);
        var (toB, lagB) = Signals.BestCorrelation(intoA, phoneB.Audio(), from: 2000, count: 10000, maxLag: 1600);
        var (toA, lagA) = Signals.BestCorrelation(intoB, phoneA.Audio(), from: 2000, count: 10000, maxLag: 1600);
        Assert.True(toB > 0.9, $"A to B: r = {toB:F3} at lag {lagB}");
        Assert.True(toA > 0.9, $"B to A: r = {toA:F3} at lag {lagA}");
        Assert.InRange(lagB, 0, 800);
        Assert.InRange(lagA, 0, 800);
        a.Stop();
        b.Stop();
        _rig.Tick();
        Assert.Equal(2, _rig.Events().Count(e => e.Kind == MediaEventKind.Stopped));
    }

    [Fact]
    public void Whisper_then_bridge_then_prompt_is_one_continuous_stream()
    {
        var (a, phoneA, b, phoneB) = OpenPair();

        // The whisper to the business plays on B; the bridge is made at once and takes over when the whisper ends.
        b.Play(Tone(400, TimeSpan.FromMilliseconds(500)));
        a.Bridge(b);
        var intoA = BridgeSignals.Sweep(300, 3000, TimeSpan.FromSeconds(2));
        Run(60, phoneA, phoneB, intoA);

        // A prompt during the bridge overrides the bridged audio for its 200 ms.
        b.Play(Tone(400, TimeSpan.FromMilliseconds(200)));
        Run(40, phoneA, phoneB, intoA, startTick: 60);

        var packets = phoneB.Received;
        Assert.Equal(100, packets.Count);
        AssertContinuous(packets);
        for (var i = 1; i < packets.Count; i++)
        {
            Assert.Equal(packets[i - 1].Timestamp + 160, packets[i].Timestamp);
        }

        Assert.True(packets[0].Marker);
        Assert.All(packets.Skip(1), p => Assert.False(p.Marker));
        var audio = phoneB.Audio();
        static double ToneShare(ReadOnlySpan<short> frame)
        {
            var meanSquare = BridgeSignals.Rms(frame) * BridgeSignals.Rms(frame);
            return meanSquare == 0 ? 0 : BridgeSignals.Power(frame, 400) / meanSquare;
        }

        for (var frame = 0; frame < 100; frame++)
        {
            var share = ToneShare(audio.AsSpan(frame * 160, 160));
            var prompt = frame < 25 || frame is >= 60 and < 70;
            Assert.True(prompt ? share > 0.4 : share < 0.1, $"frame {frame}: 400 Hz share {share:F2}");
        }

        var (r, lag) = Signals.BestCorrelation(intoA, audio, from: 25 * 160, count: 30 * 160, maxLag: 1600);
        Assert.True(r > 0.9, $"bridged after the whisper: r = {r:F3} at lag {lag}");
        a.Stop();
        b.Stop();
        _rig.Tick();
    }

    [Fact]
    public void Telephone_event_into_A_leaves_B_as_one_key_press_with_Bs_payload_type()
    {
        var (a, phoneA, b, phoneB) = OpenPair();
        a.Bridge(b);
        var silence = new short[160];
        Run(10, phoneA, phoneB, new short[1600], new short[1600]);

        // '5' held 120 ms, updates every 50 ms, three end packets: the way sipp and Asterisk send it.
        var key = new DtmfSender(8000).Packets('5', phoneA.Timestamp + 160, TimeSpan.FromMilliseconds(120));
        var elapsed = 0L;
        var more = key.MoveNext();
        for (var tick = 0; tick < 12; tick++)
        {
            while (more && key.Current.SendAt <= elapsed)
            {
                phoneA.SendEvent(101, key.Current);
                more = key.MoveNext();
            }

            phoneA.Skip();
            elapsed += 160;
            phoneB.Send(silence);
            _rig.Tick();
            phoneA.Drain();
            phoneB.Drain();
        }

        Assert.False(more);
        Run(20, phoneA, phoneB, new short[3200], new short[3200], startTick: 0);

        var digits = _rig.Events().Where(e => e.Kind == MediaEventKind.Dtmf).ToList();
        var reported = Assert.Single(digits);
        Assert.Equal(a.Id, reported.SessionId);
        Assert.Equal('5', reported.Digit);

        var events = phoneB.Received.Where(p => p.PayloadType == 96).ToList();
        Assert.DoesNotContain(phoneB.Received, p => p.PayloadType == 101);
        Assert.NotEmpty(events);
        Assert.Single(events.Select(p => p.Timestamp).Distinct());
        Assert.True(events[0].Marker);
        Assert.All(events.Skip(1), p => Assert.False(p.Marker));
        Assert.True(TelephoneEvent.TryParse(events[^1].Payload, out var last));
        Assert.Equal(DtmfSender.EndPacketCount, events.Count(p => TelephoneEvent.TryParse(p.Payload, out var e) && e.End));
        Assert.Equal(DtmfDigit.ToEvent('5'), last.Event);
        Assert.InRange(last.Duration, 120 * 8 - 160, 120 * 8 + 160);

        var detector = new DtmfDetector();
        var detected = new List<DtmfEvent>();
        foreach (var packet in events)
        {
            Assert.True(TelephoneEvent.TryParse(packet.Payload, out var e));
            if (detector.TryAccept(packet.Timestamp, packet.Marker, e, out var press))
            {
                detected.Add(press);
            }
        }

        Assert.Equal('5', Assert.Single(detected).Digit);

        // The events sit in B's stream: one SSRC, consecutive sequence numbers, audio timestamps on the tick clock.
        AssertContinuous(phoneB.Received);
        var audioAfter = phoneB.Received.SkipWhile(p => p.PayloadType != 96).Where(p => p.PayloadType == 8).ToList();
        Assert.NotEmpty(audioAfter);
        Assert.Equal(0u, (audioAfter[0].Timestamp - events[0].Timestamp) % 160);
        a.Stop();
        b.Stop();
        _rig.Tick();
    }

    [Fact]
    public void Key_press_to_a_leg_without_telephone_event_is_sent_as_a_100_ms_dual_tone()
    {
        var (a, phoneA, b, phoneB) = OpenPair(telephoneEventB: null);
        a.Bridge(b);
        Run(5, phoneA, phoneB, new short[800], new short[800]);
        var key = new DtmfSender(8000).Packets('5', phoneA.Timestamp + 160, TimeSpan.FromMilliseconds(100));
        foreach (var packet in key)
        {
            phoneA.SendEvent(101, packet);
        }

        Run(20, phoneA, phoneB);
        Assert.All(phoneB.Received, p => Assert.Equal(8, p.PayloadType));
        AssertContinuous(phoneB.Received);
        var audio = phoneB.Audio();
        var toneFrames = new List<int>();
        for (var frame = 0; frame < audio.Length / 160; frame++)
        {
            var samples = audio.AsSpan(frame * 160, 160);
            if (BridgeSignals.Power(samples, 770) > 1e6 && BridgeSignals.Power(samples, 1336) > 1e6 && BridgeSignals.Power(samples, 941) < BridgeSignals.Power(samples, 770) / 10)
            {
                toneFrames.Add(frame);
            }
        }

        Assert.Equal(5, toneFrames.Count);
        Assert.Equal(toneFrames[0] + 4, toneFrames[^1]);
        Assert.Equal('5', Assert.Single(_rig.Events(), e => e.Kind == MediaEventKind.Dtmf).Digit);
        a.Stop();
        b.Stop();
        _rig.Tick();
    }

    [Fact]
    public void Recording_of_the_callers_leg_holds_the_caller_left_and_the_business_right()
    {
        using var folder = new TempFolder();
        var path = folder.File("call.opus");
        var (a, phoneA, b, phoneB) = OpenPair(recordingPath: path);

        // The recording notice to the caller, then the bridge.
        a.Play(Tone(400, TimeSpan.FromMilliseconds(500)));
        a.Bridge(b);
        var intoA = BridgeSignals.Sweep(300, 3000, TimeSpan.FromSeconds(3));
        var intoB = BridgeSignals.Sweep(2500, 400, TimeSpan.FromSeconds(3), 6000);
        Run(160, phoneA, phoneB, intoA, intoB);
        a.Stop();
        b.Stop();
        _rig.Tick();
        var stopped = _rig.Events().Where(e => e.Kind == MediaEventKind.Stopped).ToDictionary(e => e.SessionId, e => e.Summary!);
        Assert.Equal(path, stopped[a.Id].RecordingPath);
        Assert.Null(stopped[b.Id].RecordingPath);

        var wav = folder.File("call.wav");
        var (exit, output) = ExternalTool.Run("opusdec", "--quiet", "--rate", "8000", path, wav);
        Assert.True(exit == 0, output);
        var decoded = DecodedWav.Read(wav);
        Assert.Equal(2, decoded.Channels);
        short[] left = decoded.ChannelSamples[0], right = decoded.ChannelSamples[1];
        Assert.True(BridgeSignals.Rms(left) > 1000 && BridgeSignals.Rms(right) > 1000, $"rms {BridgeSignals.Rms(left):F0} / {BridgeSignals.Rms(right):F0}");
        var (callerLeft, lagLeft) = Signals.BestCorrelation(intoA, left, from: 2000, count: 16000, maxLag: 1600);
        var (businessRight, lagRight) = Signals.BestCorrelation(intoB, right, from: 6000, count: 12000, maxLag: 1600);
        Assert.True(callerLeft > 0.9, $"left: r = {callerLeft:F3} at lag {lagLeft}");
        Assert.True(businessRight > 0.9, $"right: r = {businessRight:F3} at lag {lagRight}");

        // What the caller heard first — the notice — is on the right too.
        var notice = right.AsSpan(800, 2400);
        Assert.True(BridgeSignals.Power(notice, 400) / (BridgeSignals.Rms(notice) * BridgeSignals.Rms(notice)) > 0.4);
    }

    [Fact]
    public void Ringback_is_440_and_480_hz_for_2_s_then_silence_and_stops_when_bridged()
    {
        var (a, phoneA, b, phoneB) = OpenPair();
        b.PlayRingback(true);
        Run(175, phoneA, phoneB);
        var audio = phoneB.Audio();
        Assert.Equal(175 * 160, audio.Length);
        var ring = audio.AsSpan(0, 16000);
        var pause = audio.AsSpan(16000);
        Assert.True(BridgeSignals.Power(ring, 440) > 100 * BridgeSignals.Power(ring, 1000));
        Assert.True(BridgeSignals.Power(ring, 480) > 100 * BridgeSignals.Power(ring, 1000));
        Assert.True(BridgeSignals.Power(ring, 440) > 100 * BridgeSignals.Power(ring, 460 + 200));
        for (var frame = 0; frame < 100; frame++)
        {
            Assert.True(BridgeSignals.Rms(ring.Slice(frame * 160, 160)) > 1000, $"frame {frame} of the ring is quiet");
        }

        Assert.True(BridgeSignals.Rms(pause) < 20, $"pause rms {BridgeSignals.Rms(pause):F0}");
        AssertContinuous(phoneB.Received);
        Assert.Empty(phoneA.Received);

        // Answered: the bridge replaces the ringback (A's phone is silent, so B now sends silence).
        b.PlayRingback(true);
        a.Bridge(b);
        var before = phoneB.Received.Count;
        Run(120, phoneA, phoneB, startTick: 175);
        Assert.True(BridgeSignals.Rms(phoneB.Audio(before)) < 20);

        // Unbridged with ringback off: nothing more is sent.
        b.Unbridge();
        _rig.Tick();
        phoneB.Drain();
        before = phoneB.Received.Count;
        Run(10, phoneA, phoneB);
        Assert.Equal(before, phoneB.Received.Count);
        a.Stop();
        b.Stop();
        _rig.Tick();
    }

    [Fact]
    public void Unbridge_and_stop_of_one_leg_end_the_bridged_audio_and_the_other_leg_goes_on()
    {
        var (a, phoneA, b, phoneB) = OpenPair();
        a.Bridge(b);
        var intoA = BridgeSignals.Sweep(300, 3000, TimeSpan.FromSeconds(4));
        var intoB = BridgeSignals.Sweep(3000, 300, TimeSpan.FromSeconds(4));
        Run(40, phoneA, phoneB, intoA, intoB);
        Assert.True(phoneB.Received.Count > 35);

        // Unbridged from B's side: neither leg sends the other's audio from the next tick.
        b.Unbridge();
        Run(1, phoneA, phoneB, intoA, intoB, startTick: 40);
        int atA = phoneA.Received.Count, atB = phoneB.Received.Count;
        Run(20, phoneA, phoneB, intoA, intoB, startTick: 41);
        Assert.Equal(atA, phoneA.Received.Count);
        Assert.Equal(atB, phoneB.Received.Count);

        // Bridged again, then A hangs up: B sends no more of A, and B's leg still works (a prompt plays).
        b.Bridge(a);
        Run(20, phoneA, phoneB, intoA, intoB, startTick: 61);
        Assert.True(phoneB.Received.Count >= atB + 19);
        a.Stop();
        Run(1, phoneA, phoneB, intoA, intoB, startTick: 81);
        atB = phoneB.Received.Count;
        Run(20, phoneA, phoneB, intoA, intoB, startTick: 82);
        Assert.Equal(atB, phoneB.Received.Count);
        b.Play(Tone(400, TimeSpan.FromMilliseconds(100)));
        Run(10, phoneA, phoneB, intoA, intoB, startTick: 102);
        Assert.Equal(atB + 5, phoneB.Received.Count);
        AssertContinuous(phoneB.Received);

        // Bridging to a leg that has stopped is ignored.
        b.Bridge(a);
        Run(5, phoneA, phoneB, intoA, intoB, startTick: 112);
        Assert.Equal(atB + 5, phoneB.Received.Count);
        b.Stop();
        _rig.Tick();
        Assert.Equal(2, _rig.Events().Count(e => e.Kind == MediaEventKind.Stopped));
    }

    [Fact]
    public void Leg_on_hold_sends_nothing_keeps_the_bridge_and_resumes_the_same_stream()
    {
        var (a, phoneA, b, phoneB) = OpenPair();
        a.Bridge(b);

        // A's inactivity would end the call after 1 s without RTP; B's peer holds, so B expects none (the engine's rule).
        a.Update(BridgeRig.Options(phoneA, 101, TimeSpan.FromSeconds(1)));
        var intoA = BridgeSignals.Sweep(300, 3000, TimeSpan.FromSeconds(5));
        var intoB = BridgeSignals.Sweep(3000, 300, TimeSpan.FromSeconds(5));
        Run(30, phoneA, phoneB, intoA, intoB);
        var beforeHold = phoneB.Received[^1];

        b.Update(BridgeRig.Options(phoneB, 96, Timeout.InfiniteTimeSpan) with { Remote = null });
        Run(1, phoneA, phoneB, intoA, startTick: 30);
        var heldAt = phoneB.Received.Count;
        var atA = phoneA.Received.Count;
        Run(100, phoneA, phoneB, intoA, startTick: 31);
        Assert.Equal(heldAt, phoneB.Received.Count);
        Assert.Equal(atA + 100, phoneA.Received.Count);
        Assert.True(BridgeSignals.Rms(phoneA.Audio(atA + 10)) < 20);

        // The same with a direction that forbids sending (sendonly offer answered recvonly).
        b.Update(BridgeRig.Options(phoneB, 96, Timeout.InfiniteTimeSpan) with { Send = false });
        Run(20, phoneA, phoneB, intoA, startTick: 131);
        Assert.Equal(heldAt, phoneB.Received.Count);
        Assert.DoesNotContain(_rig.Events(), e => e.Kind == MediaEventKind.Inactive);

        // Resumed: the bridge is still there, on the same stream: next sequence number, a marker, the clock moved on.
        b.Update(BridgeRig.Options(phoneB, 96));
        Run(30, phoneA, phoneB, intoA, intoB, startTick: 151);
        var resumed = phoneB.Received[heldAt];
        Assert.Equal((ushort)(beforeHold.Sequence + 1), resumed.Sequence);
        Assert.True(resumed.Marker);
        Assert.Equal(beforeHold.Ssrc, resumed.Ssrc);
        Assert.True(resumed.Timestamp - beforeHold.Timestamp >= 120 * 160);
        var (r, lag) = Signals.BestCorrelation(intoA[(151 * 160)..], phoneB.Audio(heldAt), from: 800, count: 20 * 160, maxLag: 1600);
        Assert.True(r > 0.9, $"bridged audio after the hold: r = {r:F3} at lag {lag}");
        a.Stop();
        b.Stop();
        _rig.Tick();
    }

    public void Dispose()
    {
        foreach (var phone in _phones)
        {
            phone.Dispose();
        }

        _rig.Dispose();
    }

    private sealed class FakeMediaSessionForBridge : IMediaSession
    {
        public long Id => 0;

        public int RtpPort => 0;

        public void Start(MediaLegOptions options, string? recordingPath)
        {
        }

        public void Update(MediaLegOptions options)
        {
        }

        public void Play(PromptAudio prompt)
        {
        }

        public void Bridge(IMediaSession other)
        {
        }

        public void Unbridge()
        {
        }

        public void PlayRingback(bool on)
        {
        }

        public void PauseRecording()
        {
        }

        public void ResumeRecording()
        {
        }

        public void Stop()
        {
        }
    }
}
