using System.Net;
using CallTracking.Engine.Calls;
using CallTracking.Engine.Sip.Core;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Media.Codecs;
using CallTracking.Media.Sessions;
using static CallTracking.Tests.Sip.Core.CoreHarness;

namespace CallTracking.Tests.Sip.Core;

public sealed class SipCoreMediaTests
{
    private static string Establish(CoreHarness h, string? sdp = PcmuOffer)
    {
        h.Receive(Invite(h.NextBranch(), sdp: sdp));
        var tag = ToTag(h.Transport.Responses(200)[0]);
        h.Receive(InDialog("ACK", h.NextBranch(), tag, 1));
        return tag;
    }

    [Fact]
    public async Task Answer_starts_media_with_the_agreed_codec_remote_and_recording_path()
    {
        await using var h = new CoreHarness();
        Establish(h);
        var media = Assert.Single(h.Media.Opened);
        var started = Assert.IsType<MediaLegOptions>(media.Started);
        Assert.Equal(AudioCodec.Pcmu, started.Codec);
        Assert.Equal(0, started.PayloadType);
        Assert.Equal(101, started.TelephoneEventPayloadType);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 30000), started.Remote);
        Assert.Equal(TimeSpan.FromSeconds(30), started.InactivityTimeout);
        Assert.Equal(Path.Combine("/recordings", "2026", "11", "23", "call-1.opus"), media.RecordingPath);
    }

    [Fact]
    public async Task Pcma_first_in_the_offer_is_started_as_pcma()
    {
        await using var h = new CoreHarness();
        Establish(h, PcmuOffer.Replace("RTP/AVP 0 8 101", "RTP/AVP 8 0 101", StringComparison.Ordinal));
        Assert.Equal(AudioCodec.Pcma, h.Media.Opened[0].Started!.Codec);
        Assert.Equal(8, h.Media.Opened[0].Started!.PayloadType);
    }

    [Fact]
    public async Task Media_is_not_started_before_the_answer_and_is_stopped_when_the_call_is_cancelled()
    {
        await using var h = new CoreHarness(new SipCoreOptions { AnswerDelay = TimeSpan.FromSeconds(3), RecordingsPath = "/r" });
        var branch = h.NextBranch();
        h.Receive(Invite(branch));
        Assert.Null(h.Media.Opened[0].Started);
        h.Receive(Invite(branch).Replace("INVITE sip:", "CANCEL sip:", StringComparison.Ordinal).Replace("1 INVITE", "1 CANCEL", StringComparison.Ordinal)
            .Split("Content-Type:")[0] + "Content-Length: 0\r\n\r\n");
        Assert.True(h.Media.Opened[0].Stopped);
        Assert.Null(h.Media.Opened[0].Started);
    }

    [Fact]
    public async Task Refused_offer_stops_the_media_it_opened()
    {
        await using var h = new CoreHarness();
        var g729 = "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 30000 RTP/AVP 18\r\n";
        h.Receive(Invite(h.NextBranch(), sdp: g729));
        Assert.True(Assert.Single(h.Media.Opened).Stopped);
    }

    [Fact]
    public async Task Hold_keeps_listening_and_inactive_stops_the_inactivity_clock()
    {
        await using var h = new CoreHarness();
        var tag = Establish(h);
        h.Receive(InDialog("INVITE", h.NextBranch(), tag, 2, sdp: OfferWith("sendonly")));
        h.Receive(InDialog("ACK", h.NextBranch(), tag, 2));
        h.Receive(InDialog("INVITE", h.NextBranch(), tag, 3, sdp: OfferWith("inactive")));
        var updates = h.Media.Opened[0].Updates;
        Assert.Equal(2, updates.Count);
        Assert.Equal(TimeSpan.FromSeconds(30), updates[0].InactivityTimeout);
        Assert.Equal(Timeout.InfiniteTimeSpan, updates[1].InactivityTimeout);
    }

    [Fact]
    public async Task Offerless_invite_starts_media_from_the_answer_in_the_ack()
    {
        await using var h = new CoreHarness();
        h.Receive(Invite(h.NextBranch(), sdp: null));
        var tag = ToTag(h.Transport.Responses(200)[0]);
        Assert.Null(h.Media.Opened[0].Started);
        var answer = "v=0\r\no=- 2 2 IN IP4 10.0.0.9\r\ns=-\r\nc=IN IP4 10.0.0.9\r\nt=0 0\r\nm=audio 31000 RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n";
        h.Receive(InDialog("ACK", h.NextBranch(), tag, 1, sdp: answer));
        var started = h.Media.Opened[0].Started!;
        Assert.Equal(AudioCodec.Pcma, started.Codec);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.9"), 31000), started.Remote);
        Assert.Equal(101, started.TelephoneEventPayloadType);
    }

    [Fact]
    public async Task No_media_ends_the_call_with_BYE_and_records_why()
    {
        await using var h = new CoreHarness();
        Establish(h);
        Assert.True(h.Core.TryGetCall("call-1", out var call));
        h.Core.OnMediaEvent(new MediaEvent(h.Media.Opened[0].Id, MediaEventKind.Inactive));
        Assert.NotEmpty(h.Transport.Requests(SipMethod.Bye));
        Assert.Equal(CallEndReason.NoMedia, call.EndReason);
        Assert.True(h.Media.Opened[0].Stopped);
    }

    [Fact]
    public async Task Dtmf_and_the_finished_recording_are_kept_with_the_call()
    {
        await using var h = new CoreHarness();
        var tag = Establish(h);
        Assert.True(h.Core.TryGetCall("call-1", out var call));
        var id = h.Media.Opened[0].Id;
        h.Core.OnMediaEvent(new MediaEvent(id, MediaEventKind.Dtmf, '4', TimeSpan.FromMilliseconds(120)));
        h.Core.OnMediaEvent(new MediaEvent(id, MediaEventKind.Dtmf, '#', TimeSpan.FromMilliseconds(100)));
        h.Receive(InDialog("BYE", h.NextBranch(), tag, 2));
        var summary = new MediaSummary("/recordings/x.opus", TimeSpan.FromSeconds(12), 48_000, "opus", [], 600, 3, 4.5, 1, 0, 2);
        h.Core.OnMediaEvent(new MediaEvent(id, MediaEventKind.Stopped, Summary: summary));
        Assert.Equal("4#", call.Dtmf);
        Assert.Same(summary, call.Media);
    }

    [Fact]
    public void Call_ids_become_safe_file_names()
    {
        Assert.Equal("abc@10.0.0.1", SipCore.SafeFileName("abc@10.0.0.1"));
        Assert.Equal("a_b_c_d", SipCore.SafeFileName("a/b\\c d"));
        Assert.Equal("call_2", SipCore.SafeFileName(".."));
    }
}
