using System.Buffers.Binary;
using System.Net;
using System.Text;
using CallTracking.Engine.Sip.Outbound.Dns;

namespace CallTracking.Tests.Sip.Outbound;

public class DnsMessageTests
{
    [Fact]
    public void Query_carries_id_recursion_and_labels()
    {
        var buffer = new byte[DnsMessageWriter.MaxLength("_sip._udp.example.com")];
        Assert.True(DnsMessageWriter.TryWriteQuery(buffer, 0x1234, "_sip._udp.example.com.", DnsRecordType.Srv, out var written));
        var query = buffer.AsSpan(0, written);
        Assert.Equal(0x1234, BinaryPrimitives.ReadUInt16BigEndian(query));
        Assert.Equal(0x0100, BinaryPrimitives.ReadUInt16BigEndian(query[2..]));
        Assert.Equal(1, BinaryPrimitives.ReadUInt16BigEndian(query[4..]));
        byte[] name = [4, .. "_sip"u8, 4, .. "_udp"u8, 7, .. "example"u8, 3, .. "com"u8, 0];
        Assert.True(query.Slice(12, name.Length).SequenceEqual(name));
        Assert.Equal(33, BinaryPrimitives.ReadUInt16BigEndian(query[(12 + name.Length)..]));
        Assert.Equal(1, BinaryPrimitives.ReadUInt16BigEndian(query[(14 + name.Length)..]));
        Assert.Equal(12 + name.Length + 4, written);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a..b")]
    [InlineData("this-label-is-far-too-long-for-dns-because-it-has-more-than-sixty-three.example")]
    [InlineData("bücher.example")]
    public void Query_for_an_invalid_name_is_refused(string name)
    {
        var buffer = new byte[512];
        Assert.False(DnsMessageWriter.TryWriteQuery(buffer, 1, name, DnsRecordType.A, out _));
    }

    [Fact]
    public void Srv_answer_with_compression_pointers_is_read()
    {
        var message = DnsTestMessages.SrvAnswer();
        Assert.True(DnsMessageReader.TryRead(message, out var response, out var error), error.ToString());
        Assert.Equal(DnsResponseCode.NoError, response!.ResponseCode);
        Assert.Equal(2, response.Answers.Count);
        var first = response.Answers[0];
        Assert.Equal(DnsRecordType.Srv, first.Type);
        Assert.Equal("_sip._udp.office.test", first.Name);
        Assert.Equal("sip1.office.test", first.Target);
        Assert.Equal((ushort)10, first.Priority);
        Assert.Equal((ushort)60, first.Weight);
        Assert.Equal((ushort)5070, first.Port);
        Assert.Equal(300u, first.TimeToLive);
        Assert.Equal("sip2.office.test", response.Answers[1].Target);
        var glue = Assert.Single(response.Additional);
        Assert.Equal("sip1.office.test", glue.Name);
        Assert.Equal(IPAddress.Parse("192.0.2.10"), glue.Address);
    }

    [Fact]
    public void Every_truncated_prefix_is_an_error_not_an_exception()
    {
        var message = DnsTestMessages.SrvAnswer();
        for (var length = 0; length < message.Length; length++)
        {
            var ok = DnsMessageReader.TryRead(message.AsSpan(0, length), out _, out var error);
            Assert.False(ok && length < 12, $"prefix {length}");
            if (!ok)
            {
                Assert.NotEqual(DnsParseError.None, error);
            }
        }
    }

    [Fact]
    public void Compression_loop_is_rejected()
    {
        var message = DnsTestMessages.Header(answers: 1);
        // Question: the root name, then an answer whose name points at itself.
        message.AddRange([0, 0, 1, 0, 1]);
        var self = message.Count;
        message.AddRange([(byte)(0xC0 | (self >> 8)), (byte)self, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 1, 2, 3, 4]);
        Assert.False(DnsMessageReader.TryRead(message.ToArray(), out _, out var error));
        Assert.Equal(DnsParseError.CompressionLoop, error);
    }

    [Fact]
    public void Forward_pointer_is_rejected()
    {
        var message = DnsTestMessages.Header(answers: 0, questions: 1);
        message.AddRange([0xC0, 0x30, 0, 1, 0, 1]);
        Assert.False(DnsMessageReader.TryRead(message.ToArray(), out _, out var error));
        Assert.Equal(DnsParseError.CompressionLoop, error);
    }

    [Fact]
    public void A_record_with_wrong_length_is_bad_data()
    {
        var message = DnsTestMessages.Header(answers: 1);
        message.AddRange([0, 0, 1, 0, 1]);
        message.AddRange([0, 0, 1, 0, 1, 0, 0, 0, 60, 0, 3, 1, 2, 3]);
        Assert.False(DnsMessageReader.TryRead(message.ToArray(), out _, out var error));
        Assert.Equal(DnsParseError.BadRecordData, error);
    }

    [Fact]
    public void A_query_is_not_a_response()
    {
        var buffer = new byte[64];
        Assert.True(DnsMessageWriter.TryWriteQuery(buffer, 7, "example.com", DnsRecordType.A, out var written));
        Assert.False(DnsMessageReader.TryRead(buffer.AsSpan(0, written), out _, out var error));
        Assert.Equal(DnsParseError.NotAResponse, error);
    }

    [Fact]
    public void Truncated_response_keeps_complete_records()
    {
        var full = DnsTestMessages.SrvAnswer();
        // Set TC and cut inside the second answer.
        full[2] |= 0x02;
        var cut = full.AsSpan(0, full.Length - 30).ToArray();
        Assert.True(DnsMessageReader.TryRead(cut, out var response, out _));
        Assert.True(response!.Truncated);
        Assert.Single(response.Answers);
    }

    [Fact]
    public void Names_are_lower_cased()
    {
        var message = DnsTestMessages.Header(answers: 1);
        message.AddRange([0, 0, 1, 0, 1]);
        message.AddRange([3, .. Encoding.ASCII.GetBytes("WWW"), 0, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 1]);
        Assert.True(DnsMessageReader.TryRead(message.ToArray(), out var response, out _));
        Assert.Equal("www", response!.Answers[0].Name);
    }

    [Fact]
    public void Resolv_conf_nameservers_are_read()
    {
        var servers = ResolvConf.Parse(["# comment", "nameserver 10.0.0.2", "search example", "nameserver ::1", "nameserver bogus"]);
        Assert.Equal([new IPEndPoint(IPAddress.Parse("10.0.0.2"), 53), new IPEndPoint(IPAddress.IPv6Loopback, 53)], servers);
        Assert.True(ResolvConf.TryParseServer("127.0.0.1:5353", out var withPort));
        Assert.Equal(5353, withPort.Port);
    }
}
