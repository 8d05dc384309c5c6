using System.Buffers;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Parsing;

namespace CallTracking.Tests.Sip.Parsing;

public sealed class SipParserSegmentationTests
{
    public static TheoryData<string> ValidMessages()
    {
        var data = new TheoryData<string>();
        foreach ((string name, _) in SipTestMessages.AllValid)
        {
            data.Add(name);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ValidMessages))]
    public void Valid_message_parses_complete_in_both_modes_with_the_same_result(string name)
    {
        byte[] bytes = SipTestMessages.Get(name);
        using var m = new SipMessage();
        string datagram = SipParseHarness.Parse(new ReadOnlySequence<byte>(bytes), isDatagram: true, m);
        string stream = SipParseHarness.Parse(new ReadOnlySequence<byte>(bytes), isDatagram: false, m);
        Assert.StartsWith($"Complete None consumed={bytes.Length}\n", datagram, StringComparison.Ordinal);
        Assert.Equal(datagram, stream);
    }

    [Theory]
    [MemberData(nameof(ValidMessages))]
    public void Valid_message_split_in_two_at_every_position_parses_identically(string name)
    {
        byte[] bytes = SipTestMessages.Get(name);
        using var m = new SipMessage();
        foreach (bool datagram in new[] { true, false })
        {
            string expected = SipParseHarness.Parse(new ReadOnlySequence<byte>(bytes), datagram, m);
            for (int i = 0; i <= bytes.Length; i++)
            {
                string actual = SipParseHarness.Parse(SegmentedSequence.Split(bytes, i), datagram, m);
                if (actual != expected)
                {
                    Assert.Fail($"split at {i} (datagram={datagram}) differs:\n{actual}");
                }
            }
        }
    }

    // Every pair of split points is quadratic: all pairs for the short messages, and for the long
    // ones a stride of 7 x 5 positions, which still puts cuts inside every line, CRLF and the SDP.
    [Theory]
    [InlineData(nameof(SipTestMessages.Options), 1, 1)]
    [InlineData(nameof(SipTestMessages.Trying100), 1, 1)]
    [InlineData(nameof(SipTestMessages.FoldedInvite), 1, 1)]
    [InlineData(nameof(SipTestMessages.CompactInvite), 1, 1)]
    [InlineData(nameof(SipTestMessages.TwilioInvite), 7, 5)]
    [InlineData(nameof(SipTestMessages.QuotedNamesInvite), 3, 3)]
    [InlineData(nameof(SipTestMessages.MultiViaBye), 5, 3)]
    public void Valid_message_split_in_three_parses_identically(string name, int strideFirst, int strideSecond)
    {
        byte[] bytes = SipTestMessages.Get(name);
        using var m = new SipMessage();
        string expected = SipParseHarness.Parse(new ReadOnlySequence<byte>(bytes), isDatagram: false, m);
        for (int i = 0; i <= bytes.Length; i += strideFirst)
        {
            for (int j = i; j <= bytes.Length; j += strideSecond)
            {
                string actual = SipParseHarness.Parse(SegmentedSequence.Split(bytes, i, j), isDatagram: false, m);
                if (actual != expected)
                {
                    Assert.Fail($"split at {i},{j} differs:\n{actual}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(ValidMessages))]
    public void Valid_message_one_byte_per_segment_parses_identically(string name)
    {
        byte[] bytes = SipTestMessages.Get(name);
        using var m = new SipMessage();
        foreach (bool datagram in new[] { true, false })
        {
            string expected = SipParseHarness.Parse(new ReadOnlySequence<byte>(bytes), datagram, m);
            Assert.Equal(expected, SipParseHarness.Parse(SegmentedSequence.OneBytePerSegment(bytes), datagram, m));
        }
    }

    [Theory]
    [MemberData(nameof(ValidMessages))]
    public void Every_truncated_prefix_on_a_stream_is_incomplete_and_consumes_nothing(string name)
    {
        byte[] bytes = SipTestMessages.Get(name);
        using var m = new SipMessage();
        for (int n = 0; n < bytes.Length; n++)
        {
            foreach (ReadOnlySequence<byte> input in new[] { new ReadOnlySequence<byte>(bytes, 0, n), SegmentedSequence.Split(bytes.AsSpan(0, n).ToArray(), n / 2) })
            {
                SipParseStatus status = SipParser.TryParse(input, isDatagram: false, m, out SequencePosition consumed, out SipParseError error);
                if (status != SipParseStatus.Incomplete || error != SipParseError.None || !consumed.Equals(input.Start))
                {
                    Assert.Fail($"prefix {n}: {status} {error}, consumed {input.Slice(input.Start, consumed).Length}");
                }
            }
        }
    }

    [Fact]
    public void Pipelined_stream_messages_and_keepalives_are_consumed_one_by_one()
    {
        byte[] stream = [.. "\r\n\r\n"u8, .. SipTestMessages.TwilioInvite, .. "\r\n"u8, .. SipTestMessages.Options, .. SipTestMessages.Ack, .. "\r\n\r\n"u8];
        var input = SegmentedSequence.Split(stream, 100, 900, 1500);
        using var m = new SipMessage();
        var methods = new List<SipMethod>();
        while (true)
        {
            SipParseStatus status = SipParser.TryParse(input, isDatagram: false, m, out SequencePosition consumed, out SipParseError error);
            input = input.Slice(consumed);
            if (status != SipParseStatus.Complete)
            {
                Assert.Equal(SipParseStatus.Incomplete, status);
                Assert.Equal(SipParseError.None, error);
                break;
            }
            methods.Add(m.Method);
        }
        Assert.Equal([SipMethod.Invite, SipMethod.Options, SipMethod.Ack], methods);
        Assert.Equal(0, input.Length);
    }

    [Fact]
    public void Datagram_ignores_bytes_after_content_length()
    {
        byte[] bytes = [.. SipTestMessages.Options, .. "garbage"u8];
        using var m = new SipMessage();
        SipParseStatus status = SipParser.TryParse(new ReadOnlySequence<byte>(bytes), isDatagram: true, m, out _, out _);
        Assert.Equal(SipParseStatus.Complete, status);
        Assert.True(m.Body.IsEmpty);
        Assert.Equal(SipTestMessages.Options.Length, m.Raw.Length);
    }
}
