using CallTracking.Engine.Sip.Sdp;

namespace CallTracking.Tests.Sip.Sdp;

public sealed class SessionDescriptionTests
{
    private const string Full =
        "v=0\r\no=alice 2890844526 2890844527 IN IP4 host.example.com\r\ns=Call\r\ni=info\r\nc=IN IP4 198.51.100.5\r\nb=AS:64\r\nt=0 0\r\na=recvonly\r\n"
        + "m=audio 49170/2 RTP/AVP 0 97\r\nc=IN IP6 2001:db8::1\r\nb=TIAS:64000\r\na=rtpmap:97 iLBC/8000\r\na=fmtp:97 mode=30\r\na=ptime:30\r\na=x-custom:kept\r\n"
        + "m=video 0 UDP/TLS/RTP/SAVPF 96\r\n";

    [Fact]
    public void Parses_and_serializes_round_trip()
    {
        var result = SessionDescription.Parse(Full);
        Assert.True(result.Success, result.Error);
        var sdp = result.Description!;
        Assert.Equal("2890844527", sdp.Origin.SessionVersion);
        Assert.Equal(SdpDirection.RecvOnly, sdp.Direction);
        var audio = sdp.Media[0];
        Assert.Equal((49170, 2, "RTP/AVP"), (audio.Port, audio.PortCount, audio.Protocol));
        Assert.Equal("IP6", audio.Connection!.AddressType);
        Assert.True(audio.TryGetRtpMap("97", out var ilbc));
        Assert.Equal("iLBC", ilbc.EncodingName);
        Assert.True(audio.TryGetRtpMap("0", out var pcmu));
        Assert.Equal("PCMU", pcmu.EncodingName);
        Assert.Equal("mode=30", audio.GetFormatParameters("97"));
        Assert.Equal("kept", audio.GetAttribute("x-custom"));
        Assert.Equal(SdpDirection.RecvOnly, sdp.EffectiveDirection(audio));
        Assert.Equal(Full, sdp.ToString());
    }

    [Fact]
    public void Lf_line_ends_are_accepted()
    {
        Assert.True(SessionDescription.Parse(Full.Replace("\r\n", "\n", StringComparison.Ordinal)).Success);
    }

    [Theory]
    [InlineData(null, "empty")]
    [InlineData("v=1\r\n", "line 1")]
    [InlineData("v=0\r\no=- 1 1 IN IP4\r\ns=-\r\nt=0 0\r\n", "line 2")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 a\r\ns=\r\nt=0 0\r\n", "line 3")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nc=IN IP4\r\nt=0 0\r\n", "line 4")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nt=0 0\r\nm=audio 99999 RTP/AVP 0\r\n", "line 5: m= port")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nt=0 0\r\nm=audio 5000 RTP/AVP\r\n", "line 5")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nc=IN IP4 a\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\nt=0 0\r\n", "line 7: 't='")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nt=0 0\r\nx=1\r\n", "unknown line type")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nt=0 0\r\n\r\na=sendrecv\r\n", "line 5: is empty")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nc=IN IP4 a\r\nt=0 0\r\nm=audio 1 RTP/AVP 0\r\na=rtpmap:0 PCMU\r\n", "rtpmap")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nc=IN IP4 a\r\nt=0 0\r\nm=audio 1 RTP/AVP 0\r\na=ptime:abc\r\n", "ptime")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nc=IN IP4 a\r\n", "t=")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nt=0 0\r\nm=audio 1 RTP/AVP 0\r\n", "no c=")]
    public void Malformed_input_is_an_error_not_an_exception(string? text, string expected)
    {
        var result = SessionDescription.Parse(text);
        Assert.False(result.Success);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_truncation_of_a_valid_description_parses_or_fails_without_throwing()
    {
        for (var length = 0; length <= Full.Length; length++)
        {
            var result = SessionDescription.Parse(Full[..length]);
            Assert.True(result.Success || result.Error is not null);
        }
    }
}
