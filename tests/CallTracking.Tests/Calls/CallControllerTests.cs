using CallTracking.Engine.Calls;
using CallTracking.Engine.Calls.Control;
using CallTracking.Engine.Configuration;
using CallTracking.Engine.Sip.Sdp;
using CallTracking.Engine.Sip.Trunks;
using CallTracking.Engine.Tracking;
using CallTracking.Media.Codecs;
using CallTracking.Media.Sessions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CallTracking.Tests.Calls;

/// <summary>The plan's timing on a fake clock: notice, then forwarding; voicemail or hang-up when nobody can be
/// reached; the maximum call length.</summary>
public sealed class CallControllerTests
{
    private static readonly PromptAudio Notice = new("notice", new short[8000]);
    private static readonly PromptAudio Greeting = new("greeting", new short[4000]);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 5, 15, 0, 0, TimeSpan.Zero));
    private readonly FakeMedia _media = new();

    private (FakeInbound Inbound, IInboundCallControl Control) Begin(RoutingPlan plan)
    {
        var number = new TrackingNumber("+15551230001", "Google Ads") { Plan = plan };
        var prompts = new PlanPrompts(new() { [plan] = (Notice, null, plan.Voicemail is null ? null : Greeting) });
        var control = new CallControl(new RoutingDirectory([]), null, new Dictionary<string, Engine.Sip.Outbound.OutboundTrunk>(), null, _media, _time, NullLogger<CallControl>.Instance);
        var inbound = new FakeInbound(new InboundCall("c1", number, "carrier", "+15557770000", string.Empty, null, null, _time.GetUtcNow()), _media.Open());
        var controller = control.Begin(inbound, new RouteEntry(number, plan) { Prompts = prompts });
        inbound.Controller = controller;
        return (inbound, controller);
    }

    private static RoutingPlan Forwarding(VoicemailSettings? voicemail) => RoutingPlan.Default with
    {
        // A trunk without an Outbound section: the destination cannot even be dialled (as with no free media port).
        Forward = [new ForwardTarget("+15559870001", false, new Trunk("office", []), TimeSpan.FromSeconds(20))],
        Voicemail = voicemail,
    };

    [Fact]
    public void Notice_plays_on_answer_and_the_maximum_length_ends_the_call()
    {
        var (inbound, control) = Begin(RoutingPlan.Default with { MaxCallDuration = TimeSpan.FromMinutes(2) });
        control.OnInboundAnswered();
        Assert.Equal([Notice], inbound.Session.Played);

        _time.Advance(TimeSpan.FromMinutes(2) - TimeSpan.FromSeconds(1));
        Assert.Equal(0, inbound.Hangups);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, inbound.Hangups);
    }

    [Fact]
    public void Unreachable_destination_without_voicemail_hangs_up_after_the_notice()
    {
        var (inbound, control) = Begin(Forwarding(null));
        control.OnInboundAnswered();

        _time.Advance(Notice.Duration - TimeSpan.FromMilliseconds(20));
        Assert.Equal(0, inbound.Hangups);
        _time.Advance(TimeSpan.FromMilliseconds(20));
        Assert.Equal(1, inbound.Hangups);
        Assert.Equal(1, _media.Opened); // the caller's only: no leg B media for a destination that cannot be dialled
    }

    [Fact]
    public void Unreachable_destination_with_voicemail_greets_then_records_up_to_the_maximum()
    {
        var (inbound, control) = Begin(Forwarding(new VoicemailSettings(Prompt.Default, TimeSpan.FromSeconds(30))));
        control.OnInboundAnswered();
        _time.Advance(Notice.Duration);
        Assert.Equal([Notice, Greeting], inbound.Session.Played);

        _time.Advance(Greeting.Duration + TimeSpan.FromSeconds(30) - TimeSpan.FromMilliseconds(20));
        Assert.Equal(0, inbound.Hangups);
        _time.Advance(TimeSpan.FromMilliseconds(20));
        Assert.Equal(1, inbound.Hangups);
    }

    [Fact]
    public void Caller_hanging_up_stops_the_plan()
    {
        var (inbound, control) = Begin(Forwarding(null));
        control.OnInboundAnswered();
        control.OnInboundEnded(CallEndReason.CallerHungUp);

        _time.Advance(TimeSpan.FromMinutes(200));
        Assert.Equal(0, inbound.Hangups);
    }

    [Fact]
    public void Live_transcription_taps_the_callers_leg_when_the_engine_answers_and_only_for_a_call_with_an_organisation()
    {
        var organisation = Guid.NewGuid();
        var live = new FakeLive();
        var number = new TrackingNumber("+15551230001", "Google Ads") { Plan = RoutingPlan.Default };
        var prompts = new PlanPrompts(new() { [RoutingPlan.Default] = (Notice, null, null) });
        var control = new CallControl(new RoutingDirectory([]), null, new Dictionary<string, Engine.Sip.Outbound.OutboundTrunk>(), null, _media, _time, NullLogger<CallControl>.Instance) { Live = live };
        var inbound = new FakeInbound(new InboundCall("c1", number, "carrier", "+15557770000", string.Empty, null, null, _time.GetUtcNow()), _media.Open());
        var controller = control.Begin(inbound, new RouteEntry(number, RoutingPlan.Default) { Prompts = prompts, OrganisationId = organisation });
        inbound.Controller = controller;
        Assert.Empty(live.Begun);

        controller.OnInboundAnswered();

        var begun = Assert.Single(live.Begun);
        Assert.Equal(((CallController)controller).RecordId, begun.Call);
        Assert.Equal(organisation, begun.Organisation);
        Assert.Same(begun.Tap, Assert.Single(inbound.Session.Taps));

        // No organisation (a number outside provisioning): no call record, so nothing to publish segments on.
        var other = new FakeInbound(new InboundCall("c2", number, "carrier", "+15557770000", string.Empty, null, null, _time.GetUtcNow()), _media.Open());
        var otherControl = control.Begin(other, new RouteEntry(number, RoutingPlan.Default) { Prompts = prompts });
        other.Controller = otherControl;
        otherControl.OnInboundAnswered();
        Assert.Empty(other.Session.Taps);
        Assert.Single(live.Begun);
    }

    private sealed class FakeInbound(InboundCall call, FakeSession session) : IInboundLeg
    {
        public IInboundCallControl? Controller { get; set; }

        public int Hangups { get; private set; }

        public FakeSession Session { get; } = session;

        public InboundCall Call { get; } = call;

        public IMediaSession Media => Session;

        public SdpNegotiatedAudio? Audio => null;

        public string MediaAddress => "127.0.0.1";

        public MediaLegOptions OptionsFor(SdpNegotiatedAudio audio) => new(AudioCodec.Pcmu, 0, null, null, false, Timeout.InfiniteTimeSpan);

        public void Hangup()
        {
            Hangups++;
            Call.TryEnd(CallEndReason.EngineHungUp, DateTimeOffset.UnixEpoch);
            Controller?.OnInboundEnded(CallEndReason.EngineHungUp);
        }
    }

    private sealed class FakeMedia : IMediaSessionFactory
    {
        public int Opened { get; private set; }

        public FakeSession Open()
        {
            Opened++;
            return new FakeSession(Opened);
        }

        public bool TryOpen(out IMediaSession session) => TryOpen(out session, null);

        public bool TryOpen(out IMediaSession session, IMediaSession? colocateWith)
        {
            session = Open();
            return true;
        }
    }

    private sealed class FakeSession(long id) : IMediaSession
    {
        public List<PromptAudio> Played { get; } = [];

        public long Id { get; } = id;

        public int RtpPort => 20000;

        public void Start(MediaLegOptions options, string? recordingPath)
        {
        }

        public void Update(MediaLegOptions options)
        {
        }

        public void Play(PromptAudio prompt) => Played.Add(prompt);

        public void Bridge(IMediaSession other)
        {
        }

        public void Unbridge()
        {
        }

        public void PlayRingback(bool on)
        {
        }

        public void PauseRecording()
        {
        }

        public void ResumeRecording()
        {
        }

        public void Stop()
        {
        }

        public List<IAudioTap> Taps { get; } = [];

        public void Tap(IAudioTap tap) => Taps.Add(tap);
    }

    private sealed class FakeLive : Engine.Transcription.ILiveTranscription
    {
        public List<(Guid Call, Guid Organisation, IAudioTap Tap)> Begun { get; } = [];

        public IAudioTap? Begin(Guid callId, Guid organisationId)
        {
            var tap = new CallTracking.Media.Transcription.LiveAudioTap();
            Begun.Add((callId, organisationId, tap));
            return tap;
        }
    }
}
