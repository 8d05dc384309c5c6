using CallTracking.Media.Codecs;

namespace CallTracking.Tests.Media.Codecs;

public sealed class DtmfDetectorTests
{
    private const uint Start = 13280;

    /// <summary>A key press the way sipp and Asterisk send it: marker + duration 0, updates, three end packets.</summary>
    private static List<(uint Timestamp, bool Marker, TelephoneEvent Event)> Press(byte code, uint timestamp, int updates = 7, ushort step = 320)
    {
        var packets = new List<(uint, bool, TelephoneEvent)> { (timestamp, true, new TelephoneEvent(code, false, 10, 0)) };
        for (var i = 1; i < updates; i++)
        {
            packets.Add((timestamp, false, new TelephoneEvent(code, false, 10, (ushort)(i * step))));
        }

        for (var i = 0; i < 3; i++)
        {
            packets.Add((timestamp, false, new TelephoneEvent(code, true, 10, (ushort)(updates * step))));
        }

        return packets;
    }

    private static List<DtmfEvent> Feed(DtmfDetector detector, IEnumerable<(uint Timestamp, bool Marker, TelephoneEvent Event)> packets)
    {
        var events = new List<DtmfEvent>();
        foreach (var (timestamp, marker, ev) in packets)
        {
            if (detector.TryAccept(timestamp, marker, ev, out var detected))
            {
                events.Add(detected);
            }
        }

        return events;
    }

    [Fact]
    public void A_key_press_as_sipp_sends_it_is_one_event_with_its_duration()
    {
        var detector = new DtmfDetector();
        var events = Feed(detector, Press(1, Start));
        var ev = Assert.Single(events);
        Assert.Equal('1', ev.Digit);
        Assert.Equal(Start, ev.StartTimestamp);
        Assert.Equal(2240, ev.DurationUnits);
        Assert.Equal(TimeSpan.FromMilliseconds(280), ev.Duration);
        Assert.False(ev.EndLost);
        Assert.False(detector.InProgress);
    }

    [Fact]
    public void Lost_end_packets_are_flushed_after_the_time_out_and_not_before()
    {
        var detector = new DtmfDetector(endTimeout: TimeSpan.FromMilliseconds(200));
        var packets = Press(5, Start).Where(p => !p.Event.End);
        Assert.Empty(Feed(detector, packets));
        Assert.True(detector.InProgress);

        // Last known instant: Start + 1920; the time-out is 1600 units.
        Assert.False(detector.TryFlush(Start + 1920 + 1599, out _));
        Assert.True(detector.TryFlush(Start + 1920 + 1600, out var ev));
        Assert.Equal(('5', Start, 1920L, true), (ev.Digit, ev.StartTimestamp, ev.DurationUnits, ev.EndLost));
        Assert.False(detector.TryFlush(Start + 100_000, out _));
    }

    [Fact]
    public void Lost_end_packets_are_reported_when_the_next_event_starts()
    {
        var detector = new DtmfDetector();
        var first = Press(5, Start).Where(p => !p.Event.End);
        var second = Press(7, Start + 4000);
        var events = Feed(detector, first.Concat(second));
        Assert.Equal(2, events.Count);
        Assert.Equal(('5', Start, true), (events[0].Digit, events[0].StartTimestamp, events[0].EndLost));
        Assert.Equal(('7', Start + 4000, false), (events[1].Digit, events[1].StartTimestamp, events[1].EndLost));
    }

    [Fact]
    public void Duplicated_and_reordered_packets_are_still_one_event()
    {
        var packets = Press(9, Start);
        var shuffled = packets.Concat(packets).OrderBy(p => p.Event.Duration % 3).ThenByDescending(p => p.Event.Duration).ToList();

        // End first, then everything again in a scrambled order, then late retransmissions.
        var events = Feed(new DtmfDetector(), shuffled.Concat(packets));
        var ev = Assert.Single(events);
        Assert.Equal(('9', 2240L), (ev.Digit, ev.DurationUnits));
    }

    [Fact]
    public void An_update_arriving_after_a_newer_update_does_not_shorten_the_event()
    {
        var packets = Press(3, Start);
        (packets[3], packets[5]) = (packets[5], packets[3]);
        packets.RemoveRange(7, 3); // all end packets lost
        var detector = new DtmfDetector();
        Assert.Empty(Feed(detector, packets));
        Assert.True(detector.TryFlush(Start + 100_000, out var ev));
        Assert.Equal(1920, ev.DurationUnits);
    }

    [Fact]
    public void The_same_digit_pressed_twice_back_to_back_is_two_events()
    {
        var events = Feed(new DtmfDetector(), Press(4, Start).Concat(Press(4, Start + 2240 + 400)));
        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.Equal('4', e.Digit));
        Assert.Equal(Start + 2640, events[1].StartTimestamp);
    }

    [Fact]
    public void A_lost_start_packet_still_yields_the_event()
    {
        var events = Feed(new DtmfDetector(), Press(6, Start).Skip(2));
        Assert.Equal(('6', 2240L), (Assert.Single(events).Digit, events[0].DurationUnits));
    }

    [Fact]
    public void An_event_across_a_0xFFFF_segment_boundary_is_one_event_with_the_summed_duration()
    {
        var packets = new List<(uint, bool, TelephoneEvent)>
        {
            (Start, true, new TelephoneEvent(0, false, 10, 0)),
            (Start, false, new TelephoneEvent(0, false, 10, 64000)),
            (Start, false, new TelephoneEvent(0, false, 10, 0xFFFF)),
            (Start + 0xFFFF, false, new TelephoneEvent(0, false, 10, 400)),
            (Start + 0xFFFF, false, new TelephoneEvent(0, true, 10, 800)),
            (Start + 0xFFFF, false, new TelephoneEvent(0, true, 10, 800)),
            (Start + 0xFFFF, false, new TelephoneEvent(0, true, 10, 800)),
        };
        var ev = Assert.Single(Feed(new DtmfDetector(), packets));
        Assert.Equal(('0', Start, 0xFFFFL + 800), (ev.Digit, ev.StartTimestamp, ev.DurationUnits));
    }

    [Fact]
    public void A_long_event_whose_saturated_packet_was_lost_is_still_one_event()
    {
        var packets = new List<(uint, bool, TelephoneEvent)>
        {
            (Start, true, new TelephoneEvent(2, false, 10, 0)),
            (Start, false, new TelephoneEvent(2, false, 10, 64000)),
            (Start + 0xFFFF, false, new TelephoneEvent(2, true, 10, 800)),
        };
        var ev = Assert.Single(Feed(new DtmfDetector(), packets));
        Assert.Equal(0xFFFFL + 800, ev.DurationUnits);
    }

    [Fact]
    public void Timestamps_that_wrap_around_are_handled()
    {
        var start = uint.MaxValue - 1000;
        var events = Feed(new DtmfDetector(), Press(8, start).Concat(Press(8, start + 3000)));
        Assert.Equal(2, events.Count);
        Assert.Equal(start + 3000, events[1].StartTimestamp);
    }

    [Fact]
    public void Events_that_are_not_DTMF_are_ignored()
    {
        var detector = new DtmfDetector();
        Assert.Empty(Feed(detector, Press(16, Start)));
        Assert.False(detector.InProgress);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(40)]
    [InlineData(100)]
    [InlineData(280)]
    [InlineData(1234)]
    [InlineData(8192)]
    [InlineData(20_000)]
    public void DtmfSender_output_is_detected_as_the_same_digit_and_duration_for_every_key(int milliseconds)
    {
        var sender = new DtmfSender();
        foreach (var key in "0123456789*#ABCD")
        {
            var detector = new DtmfDetector();
            var events = new List<DtmfEvent>();
            var packets = 0;
            foreach (var packet in sender.Packets(key, Start, TimeSpan.FromMilliseconds(milliseconds)))
            {
                packets++;
                if (detector.TryAccept(packet.Timestamp, packet.Marker, packet.Event, out var ev))
                {
                    events.Add(ev);
                }
            }

            var detected = Assert.Single(events);
            Assert.Equal((key, Start, TimeSpan.FromMilliseconds(milliseconds)), (detected.Digit, detected.StartTimestamp, detected.Duration));
            Assert.True(packets >= 4, $"{packets} packets");
        }
    }

    [Fact]
    public void DtmfSender_sends_marker_first_updates_every_50ms_and_three_end_packets()
    {
        var packets = new List<DtmfPacket>();
        foreach (var packet in new DtmfSender().Packets('#', Start, TimeSpan.FromMilliseconds(160)))
        {
            packets.Add(packet);
        }

        Assert.Equal([true, false, false, false, false, false, false], packets.Select(p => p.Marker));
        Assert.Equal([0, 400, 800, 1200, 1280, 1280, 1280], packets.Select(p => (int)p.Event.Duration));
        Assert.Equal([false, false, false, false, true, true, true], packets.Select(p => p.Event.End));
        Assert.All(packets, p => Assert.Equal((Start, (byte)11), (p.Timestamp, p.Event.Event)));
        Assert.Equal(packets.Select(p => (long)p.Event.Duration), packets.Select(p => p.SendAt));
    }

    [Fact]
    public void DtmfSender_splits_a_long_event_into_0xFFFF_segments()
    {
        var packets = new List<DtmfPacket>();
        foreach (var packet in new DtmfSender().Packets(3, Start, 0xFFFF + 1000))
        {
            packets.Add(packet);
        }

        var first = packets.Where(p => p.Timestamp == Start).ToList();
        var second = packets.Where(p => p.Timestamp == Start + 0xFFFF).ToList();
        Assert.Equal(packets.Count, first.Count + second.Count);
        Assert.Equal(0xFFFF, first[^1].Event.Duration);
        Assert.False(first[^1].Event.End);
        Assert.False(second[0].Marker);
        Assert.Equal(1000, second[^1].Event.Duration);
        Assert.True(packets.Zip(packets.Skip(1)).All(pair => pair.First.SendAt <= pair.Second.SendAt));
    }

    [Fact]
    public void The_detector_allocates_nothing_per_packet()
    {
        var detector = new DtmfDetector();
        var packets = Press(1, 0).ToArray();
        Run(detector, packets, 0);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (uint press = 1; press <= 200; press++)
        {
            Run(detector, packets, press * 10_000);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        static void Run(DtmfDetector detector, (uint Timestamp, bool Marker, TelephoneEvent Event)[] packets, uint offset)
        {
            foreach (var (timestamp, marker, ev) in packets)
            {
                detector.TryAccept(timestamp + offset, marker, ev, out _);
            }

            detector.TryFlush(offset + 5000, out _);
        }
    }

    [Fact]
    public void A_new_key_press_whose_timestamp_went_back_is_still_an_event()
    {
        // The sender's clock jumped back between presses (a gateway timing events on its own clock; sipp playing
        // one capture per digit). The marker says a new event starts.
        var events = Feed(new DtmfDetector(), Press(5, Start + 50_000).Concat(Press(7, Start)).Concat(Press(8, Start + 4000)));
        Assert.Equal("578", string.Concat(events.Select(e => e.Digit)));
        Assert.All(events, e => Assert.Equal((2240L, false), (e.DurationUnits, e.EndLost)));
    }

    [Fact]
    public void A_key_press_that_went_back_while_another_lost_its_end_reports_both()
    {
        var first = Press(5, Start + 50_000).Where(p => !p.Event.End);
        var events = Feed(new DtmfDetector(), first.Concat(Press(7, Start)));
        Assert.Equal([('5', true), ('7', false)], events.Select(e => (e.Digit, e.EndLost)));
    }

    [Fact]
    public void Late_packets_without_a_marker_of_an_older_event_are_still_ignored()
    {
        var late = Press(1, Start).Where(p => !p.Marker);
        var events = Feed(new DtmfDetector(), Press(1, Start).Concat(Press(2, Start + 4000)).Concat(late));
        Assert.Equal("12", string.Concat(events.Select(e => e.Digit)));
    }

    [Fact]
    public void Sipp_captures_played_one_after_another_yield_every_digit_in_order()
    {
        // The captures share one SSRC but their timestamps are not in this order (4, * and 0 are older than #).
        const string digits = "19#4*0";
        var detector = new DtmfDetector();
        var events = new List<DtmfEvent>();
        foreach (var digit in digits)
        {
            var file = digit switch { '#' => "dtmf_2833_pound.pcap", '*' => "dtmf_2833_star.pcap", _ => $"dtmf_2833_{digit}.pcap" };
            var path = Path.Combine("/usr/share/sip-tester", file);
            Assert.True(File.Exists(path), $"{path} is missing: install the Debian package sip-tester");
            foreach (var packet in PcapReader.ReadRtp(path).Where(p => p.PayloadType == 101))
            {
                Assert.True(TelephoneEvent.TryParse(packet.Payload, out var ev));
                if (detector.TryAccept(packet.Timestamp, packet.Marker, ev, out var detected))
                {
                    events.Add(detected);
                }
            }
        }

        Assert.Equal(digits, string.Concat(events.Select(e => e.Digit)));
        Assert.All(events, e => Assert.False(e.EndLost));
    }

    public static TheoryData<string, char> SippCaptures() => new()
    {
        { "dtmf_2833_0.pcap", '0' }, { "dtmf_2833_1.pcap", '1' }, { "dtmf_2833_2.pcap", '2' },
        { "dtmf_2833_3.pcap", '3' }, { "dtmf_2833_4.pcap", '4' }, { "dtmf_2833_5.pcap", '5' },
        { "dtmf_2833_6.pcap", '6' }, { "dtmf_2833_7.pcap", '7' }, { "dtmf_2833_8.pcap", '8' },
        { "dtmf_2833_9.pcap", '9' }, { "dtmf_2833_pound.pcap", '#' }, { "dtmf_2833_star.pcap", '*' },
    };

    [Theory]
    [MemberData(nameof(SippCaptures))]
    public void Sipp_captures_yield_exactly_the_digit_they_are_named_after(string file, char digit)
    {
        var path = Path.Combine("/usr/share/sip-tester", file);
        Assert.True(File.Exists(path), $"{path} is missing: install the Debian package sip-tester");

        var detector = new DtmfDetector();
        var events = new List<DtmfEvent>();
        var rtp = PcapReader.ReadRtp(path);
        Assert.NotEmpty(rtp);
        foreach (var packet in rtp.Where(p => p.PayloadType == 101))
        {
            Assert.True(TelephoneEvent.TryParse(packet.Payload, out var ev));
            if (detector.TryAccept(packet.Timestamp, packet.Marker, ev, out var detected))
            {
                events.Add(detected);
            }
        }

        if (detector.TryFlush(rtp[^1].Timestamp + 100_000, out var flushed))
        {
            events.Add(flushed);
        }

        var only = Assert.Single(events);
        Assert.Equal(digit, only.Digit);
        Assert.Equal(TimeSpan.FromMilliseconds(280), only.Duration);
        Assert.False(only.EndLost);
    }
}
