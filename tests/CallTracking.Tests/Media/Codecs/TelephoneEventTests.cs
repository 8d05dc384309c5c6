using CallTracking.Media.Codecs;

namespace CallTracking.Tests.Media.Codecs;

public sealed class TelephoneEventTests
{
    [Fact]
    public void Parses_the_RFC_4733_layout()
    {
        // event 11 (#), E=1, R=1 (ignored), volume 10, duration 2240
        Assert.True(TelephoneEvent.TryParse([0x0B, 0xCA, 0x08, 0xC0], out var ev));
        Assert.Equal(new TelephoneEvent(11, end: true, volume: 10, duration: 2240), ev);
    }

    [Theory]
    [InlineData(0, false, 0, 0)]
    [InlineData(5, true, 10, 320)]
    [InlineData(15, false, 63, 0xFFFF)]
    [InlineData(255, true, 36, 12345)]
    public void Write_then_parse_round_trips(int code, bool end, int volume, int duration)
    {
        var ev = new TelephoneEvent((byte)code, end, (byte)volume, (ushort)duration);
        Span<byte> bytes = stackalloc byte[TelephoneEvent.Size];
        Assert.Equal(4, ev.Write(bytes));
        Assert.Equal(0, bytes[1] & 0x40); // R bit written as zero
        Assert.True(TelephoneEvent.TryParse(bytes, out var parsed));
        Assert.Equal(ev, parsed);
    }

    [Fact]
    public void A_payload_shorter_than_four_bytes_is_refused_at_every_length()
    {
        byte[] payload = [0x01, 0x80, 0x01, 0x40];
        for (var length = 0; length < 4; length++)
        {
            Assert.False(TelephoneEvent.TryParse(payload.AsSpan(0, length), out _));
        }
    }

    [Fact]
    public void A_longer_payload_yields_its_first_event_block()
    {
        Assert.True(TelephoneEvent.TryParse([0x01, 0x0A, 0x01, 0x40, 0x02, 0x8A, 0x00, 0xA0], out var ev));
        Assert.Equal(new TelephoneEvent(1, false, 10, 320), ev);
    }

    [Fact]
    public void Volume_above_63_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TelephoneEvent(1, false, 64, 0));
    }

    [Fact]
    public void Events_0_to_15_map_to_the_DTMF_keys_and_back()
    {
        const string keys = "0123456789*#ABCD";
        for (byte code = 0; code < 16; code++)
        {
            Assert.True(DtmfDigit.TryFromEvent(code, out var digit));
            Assert.Equal(keys[code], digit);
            Assert.Equal(code, DtmfDigit.ToEvent(digit));
        }

        Assert.Equal(12, DtmfDigit.ToEvent('a'));
        Assert.False(DtmfDigit.TryFromEvent(16, out _));
        Assert.False(DtmfDigit.TryToEvent('E', out _));
    }
}
