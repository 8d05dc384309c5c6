using System.Buffers;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Parsing;

namespace CallTracking.Tests.Sip.Parsing;

public sealed class SipParserAllocationTests
{
    [Fact]
    public void Parsing_twilio_invite_and_reading_routing_values_allocates_nothing_single_segment() =>
        AssertNoAllocation(new ReadOnlySequence<byte>(SipTestMessages.TwilioInvite));

    [Fact]
    public void Parsing_twilio_invite_and_reading_routing_values_allocates_nothing_multi_segment() =>
        AssertNoAllocation(SegmentedSequence.Split(SipTestMessages.TwilioInvite, 200, 700, 1100));

    private static void AssertNoAllocation(ReadOnlySequence<byte> input)
    {
        using var m = new SipMessage();
        long sink = 0;
        foreach (bool datagram in new[] { true, false })
        {
            for (int i = 0; i < 100; i++)
            {
                sink += ParseAndRead(input, datagram, m);
            }
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++)
            {
                sink += ParseAndRead(input, datagram, m);
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(0, allocated);
        }
        Assert.NotEqual(0, sink);
    }

    private static long ParseAndRead(in ReadOnlySequence<byte> input, bool datagram, SipMessage m)
    {
        SipParseStatus status = SipParser.TryParse(input, datagram, m, out _, out SipParseError error);
        if (status != SipParseStatus.Complete || error != SipParseError.None)
        {
            return 0;
        }
        ViaHeader via = m.TopVia;
        return m.CallId.Length + m.CSeqNumber + (int)m.CSeqMethod + via.Branch.Length + via.SentBy.Length
            + m.FromTag.Length + m.ToTag.Length + m.MaxForwards + m.ContentLength;
    }
}
