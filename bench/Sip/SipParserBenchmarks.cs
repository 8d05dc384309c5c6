using System.Buffers;
using System.Net;
using BenchmarkDotNet.Attributes;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Parsing;
using CallTracking.Engine.Sip.Writing;
using CallTracking.Tests.Sip;

namespace CallTracking.Bench.Sip;

/// <summary>The signalling hot path: parse a Twilio INVITE, read what routing needs, answer it.</summary>
[MemoryDiagnoser]
public class SipParserBenchmarks : IDisposable
{
    private readonly SipMessage _message = new();
    private readonly SipMessage _invite = new();
    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private readonly ViaReceived _received = new(IPAddress.Parse("54.172.60.1"), 5060);
    private ReadOnlySequence<byte> _single;
    private ReadOnlySequence<byte> _threeSegments;

    [GlobalSetup]
    public void Setup()
    {
        byte[] bytes = SipTestMessages.TwilioInvite;
        _single = new ReadOnlySequence<byte>(bytes);
        _threeSegments = SegmentedSequence.Split(bytes, bytes.Length / 3, 2 * bytes.Length / 3);
        SipParser.TryParse(_single, isDatagram: true, _invite, out _, out _);
        SipParser.TryParse(_single, isDatagram: true, _message, out _, out _);
    }

    [Benchmark(Baseline = true)]
    public long ParseTwilioInvite_SingleSegment() => ParseAndRead(_single, isDatagram: true);

    [Benchmark]
    public long ParseTwilioInvite_ThreeSegments_Stream() => ParseAndRead(_threeSegments, isDatagram: false);

    [Benchmark]
    public int Write200OkWithSdp()
    {
        _output.ResetWrittenCount();
        SipResponseWriter.Write(_output, _invite, 200, "OK"u8, "ct-9a8b7c"u8, _received,
            "Contact: <sip:+15551230001@203.0.113.10:5060>\r\n"u8, "application/sdp"u8, _invite.Body);
        return _output.WrittenCount;
    }

    private long ParseAndRead(in ReadOnlySequence<byte> input, bool isDatagram)
    {
        SipParser.TryParse(input, isDatagram, _message, out _, out _);
        ViaHeader via = _message.TopVia;
        return _message.CallId.Length + _message.CSeqNumber + via.Branch.Length + via.SentBy.Length
            + _message.FromTag.Length + _message.ToTag.Length + _message.MaxForwards + _message.ContentLength;
    }

    public void Dispose()
    {
        _message.Dispose();
        _invite.Dispose();
        GC.SuppressFinalize(this);
    }
}
