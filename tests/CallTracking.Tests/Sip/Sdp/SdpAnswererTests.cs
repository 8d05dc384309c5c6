using CallTracking.Engine.Sip.Sdp;

namespace CallTracking.Tests.Sip.Sdp;

public sealed class SdpAnswererTests
{
    private const string Twilio = "v=0\r\no=root 1956713521 1956713521 IN IP4 54.172.60.1\r\ns=Twilio Media Gateway\r\nc=IN IP4 54.172.60.10\r\nt=0 0\r\n"
        + "m=audio 13956 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=maxptime:150\r\na=sendrecv\r\n";

    private readonly SdpAnswerer _answerer = new();

    private static SessionDescription Offer(string text)
    {
        var parsed = SessionDescription.Parse(text);
        Assert.True(parsed.Success, parsed.Error);
        return parsed.Description!;
    }

    private static string Audio(string formats, string attributes, string connection = "c=IN IP4 198.51.100.5\r\n") =>
        "v=0\no=- 1 1 IN IP4 198.51.100.5\ns=-\n" + connection + "t=0 0\nm=audio 4000 RTP/AVP " + formats + "\n" + attributes;

    private SdpAnswerResult Answer(string offer, SdpSession? session = null) =>
        _answerer.Answer(Offer(offer), "203.0.113.1", 20000, session ?? new SdpSession(42));

    [Fact]
    public void Twilio_offer_is_answered_with_pcmu_and_telephone_event()
    {
        var result = Answer(Twilio);
        Assert.True(result.IsAccepted);
        Assert.Equal(
            "v=0\r\no=- 42 1 IN IP4 203.0.113.1\r\ns=-\r\nc=IN IP4 203.0.113.1\r\nt=0 0\r\n"
            + "m=audio 20000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n",
            result.Answer!.ToString());
        var audio = result.Audio!;
        Assert.Equal(("PCMU", 0, 101, 13956), (audio.Codec.EncodingName, audio.Codec.PayloadType, audio.TelephoneEventPayloadType, audio.RemotePort));
        Assert.Equal("54.172.60.10", audio.RemoteAddress.ToString());
    }

    [Fact]
    public void Telephone_event_keeps_the_offered_payload_type_and_pcma_first_is_chosen()
    {
        var result = Answer(Audio("8 0 96", "a=rtpmap:96 telephone-event/8000\na=fmtp:96 0-15\na=ptime:30\n"));
        var media = result.Answer!.Media[0];
        Assert.Equal(["8", "96"], media.Formats);
        Assert.Equal("0-16", media.GetFormatParameters("96"));
        Assert.Equal(30, media.Ptime);
        Assert.Equal((8, 96), (result.Audio!.Codec.PayloadType, result.Audio.TelephoneEventPayloadType));
    }

    [Fact]
    public void G729_only_offer_is_refused_with_488_and_the_reason()
    {
        var result = Answer(Audio("18 9", "a=rtpmap:18 G729/8000\n"));
        Assert.False(result.IsAccepted);
        Assert.Equal(488, result.StatusCode);
        Assert.Equal("no common codec: offer had 18 (G729), 9 (G722)", result.Reason);
    }

    [Fact]
    public void Secure_profile_is_refused()
    {
        var result = Answer(Audio("0", string.Empty).Replace("RTP/AVP", "RTP/SAVP", StringComparison.Ordinal));
        Assert.Equal(488, result.StatusCode);
        Assert.Contains("RTP/SAVP", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Video_stream_is_rejected_with_port_0_and_m_lines_keep_their_order()
    {
        var offer = "v=0\no=- 1 1 IN IP4 198.51.100.5\ns=-\nc=IN IP4 198.51.100.5\nt=0 0\n"
            + "m=video 5000 RTP/AVP 96\na=rtpmap:96 H264/90000\nm=audio 4000 RTP/AVP 0\nm=audio 4002 RTP/AVP 8\n";
        var answer = Answer(offer).Answer!;
        Assert.Equal(3, answer.Media.Count);
        Assert.Equal(("video", 0, "96"), (answer.Media[0].Media, answer.Media[0].Port, answer.Media[0].Formats[0]));
        Assert.Equal(20000, answer.Media[1].Port);
        Assert.Equal(0, answer.Media[2].Port);
    }

    [Theory]
    [InlineData("a=sendonly\n", SdpDirection.RecvOnly)]
    [InlineData("a=recvonly\n", SdpDirection.SendOnly)]
    [InlineData("a=inactive\n", SdpDirection.Inactive)]
    [InlineData("a=sendrecv\n", SdpDirection.SendRecv)]
    [InlineData("", SdpDirection.SendRecv)]
    public void Direction_is_mirrored(string attribute, SdpDirection expected)
    {
        var result = Answer(Audio("0", attribute));
        Assert.Equal(expected, result.Answer!.Media[0].Direction);
        Assert.Equal(expected, result.Audio!.Direction);
    }

    [Fact]
    public void Media_level_direction_overrides_session_level()
    {
        var offer = "v=0\no=- 1 1 IN IP4 198.51.100.5\ns=-\nc=IN IP4 198.51.100.5\nt=0 0\na=inactive\nm=audio 4000 RTP/AVP 0\na=sendonly\n";
        Assert.Equal(SdpDirection.RecvOnly, Answer(offer).Answer!.Media[0].Direction);
    }

    [Fact]
    public void Hold_with_connection_0_0_0_0_is_answered_recvonly()
    {
        var result = Answer(Audio("0", string.Empty, "c=IN IP4 0.0.0.0\n"));
        Assert.Equal(SdpDirection.RecvOnly, result.Answer!.Media[0].Direction);
    }

    [Fact]
    public void Ipv6_offer_is_accepted()
    {
        var result = Answer(Audio("0", string.Empty, "c=IN IP6 2001:db8::7\n"));
        Assert.Equal("2001:db8::7", result.Audio!.RemoteAddress.ToString());
    }

    [Theory]
    [InlineData("a=ptime:5\n", 20)]
    [InlineData("a=ptime:90\n", 20)]
    [InlineData("a=ptime:60\n", 60)]
    public void Ptime_outside_10_to_60_becomes_20(string attribute, int expected)
    {
        Assert.Equal(expected, Answer(Audio("0", attribute)).Answer!.Media[0].Ptime);
    }

    [Fact]
    public void Version_increments_by_one_on_a_changed_answer_and_not_on_an_identical_one()
    {
        var session = new SdpSession(42, initialVersion: 7);
        Assert.Equal("7", Answer(Audio("0", string.Empty), session).Answer!.Origin.SessionVersion);
        Assert.Equal("7", Answer(Audio("0", string.Empty), session).Answer!.Origin.SessionVersion);
        Assert.Equal("8", Answer(Audio("0", "a=sendonly\n"), session).Answer!.Origin.SessionVersion);
        var offer = new SdpOfferBuilder().Build("203.0.113.1", 20000, session);
        Assert.Equal("9", offer.Origin.SessionVersion);
        Assert.Equal("42", offer.Origin.SessionId);
    }

    [Fact]
    public void Offer_has_pcmu_pcma_and_telephone_event_and_follows_our_hold_state()
    {
        var session = new SdpSession(5) { LocalDirection = SdpDirection.SendOnly };
        var offer = new SdpOfferBuilder().Build("203.0.113.1", 20002, session).ToString();
        Assert.Equal(
            "v=0\r\no=- 5 1 IN IP4 203.0.113.1\r\ns=-\r\nc=IN IP4 203.0.113.1\r\nt=0 0\r\n"
            + "m=audio 20002 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=sendonly\r\n",
            offer);
        var answer = new SdpAnswerer().Answer(Offer(Audio("0", string.Empty)), "203.0.113.1", 20002, session);
        Assert.Equal(SdpDirection.SendOnly, answer.Answer!.Media[0].Direction);
    }
}
