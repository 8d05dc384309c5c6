using System.Text;
using CallTracking.Engine.Sip.Outbound;

namespace CallTracking.Tests.Sip.Outbound;

public class OutboundTrunkTests
{
    [Theory]
    [InlineData("sip:acme.pstn.twilio.com")]
    [InlineData("acme-prod.pstn.twilio.com")]
    [InlineData("sip:acme.pstn.twilio.com;transport=tcp")]
    public void Twilio_termination_uri_of_the_right_form_is_accepted(string uri)
        => Assert.Null(OutboundTrunk.ValidateTwilioTermination(uri));

    [Theory]
    [InlineData("sip:pstn.twilio.com")]
    [InlineData("sip:acme.pstn.ashburn.twilio.com")]
    [InlineData("sip:a.b.pstn.twilio.com")]
    [InlineData("sip:acme.twilio.com")]
    [InlineData("sip:-acme.pstn.twilio.com")]
    [InlineData("sip:+15551230001@acme.pstn.twilio.com")]
    [InlineData("not a uri")]
    public void Twilio_termination_uri_of_another_form_is_rejected_with_a_reason(string uri)
        => Assert.NotNull(OutboundTrunk.ValidateTwilioTermination(uri));

    [Fact]
    public void Trunk_reads_host_and_port_of_its_uri()
    {
        var trunk = new OutboundTrunk("office", "sip:10.0.0.5:5080");
        Assert.Equal("10.0.0.5", trunk.Host);
        Assert.Equal("10.0.0.5:5080", trunk.HostPort);
        Assert.True(trunk.UsesDiversion);
        Assert.Equal(TrunkState.Up, trunk.State);
        Assert.False(trunk.HasCredentials);
    }

    [Fact]
    public void Hold_offer_sendonly_is_answered_recvonly_with_a_new_version()
    {
        var ours = Encoding.ASCII.GetBytes("v=0\r\no=- 1 5 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=sendrecv\r\n");
        var offer = Encoding.ASCII.GetBytes("v=0\r\no=- 9 9 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\na=sendonly\r\n");
        var answer = Encoding.ASCII.GetString(SdpDirectionMirror.Answer(ours, offer).Span);
        Assert.Contains("o=- 1 6 IN IP4 10.0.0.1\r\n", answer, StringComparison.Ordinal);
        Assert.EndsWith("m=audio 4000 RTP/AVP 0\r\na=recvonly\r\n", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("sendrecv", answer, StringComparison.Ordinal);
    }
}
