using System.Text;
using System.Text.Json.Nodes;
using CallTracking.Engine.Configuration;
using CallTracking.Engine.Sip.Outbound;
using CallTracking.Engine.Sip.Sdp;
using CallTracking.Engine.Storage;
using CallTracking.Engine.Tracking.Geo;
using CallTracking.Media.Codecs;
using CallTracking.Media.Quality;
using CallTracking.Media.Sessions;

namespace CallTracking.Engine.Calls.Control;

/// <summary>
/// Runs one inbound call's routing plan: after we answer the caller, the recording notice; then the destinations
/// (in order or all at once; ringback on 180, early media on 183; the first 2xx wins and the others are
/// CANCELled); the whisper to whoever answers; the bridge; voicemail or a hang-up when nobody answers; BYE from
/// either side ends both. Event-driven: SIP, media and timer threads call in; all state is under one lock, and
/// nothing here blocks. Writes the call record as it goes.
/// </summary>
public sealed partial class CallController : IInboundCallControl
{
    private static readonly TimeSpan EndRecordFallback = TimeSpan.FromSeconds(3);

    private readonly CallControl _control;
    private readonly ILogger _logger;
    private readonly IInboundLeg _inbound;
    private readonly RouteEntry _route;
    private readonly RoutingPlan _plan;
    private readonly Guid _recordId = Guid.CreateVersion7();
    private readonly Guid? _organisationId;
    private readonly Lock _lock = new();
    private readonly List<Destination> _legs = [];
    private Phase _phase = Phase.Ringing;
    private int _nextTarget;
    private int _lastFinalStatus;
    private string _lastFinalReason = string.Empty;
    private Destination? _winner;
    private Destination? _early;
    private bool _ringingRecorded;
    private ITimer? _stepTimer;
    private ITimer? _maxTimer;
    private ITimer? _endFallback;
    private CallDisposition? _disposition;
    private HangupParty? _hangupBy;
    private string? _sipReason;
    private DateTimeOffset _endedAt;
    private MediaSummary? _inboundSummary;
    private bool _endWritten;

    internal CallController(CallControl control, IInboundLeg inbound, RouteEntry route)
    {
        _control = control;
        _logger = control.Logger;
        _inbound = inbound;
        _route = route;
        _plan = route.Plan.At(control.Time.GetUtcNow());
        _organisationId = route.OrganisationId;
    }

    private enum Phase
    {
        Ringing,
        Announcing,
        Forwarding,
        Whisper,
        Bridged,
        Recording,
        Voicemail,
        Ended,
    }

    /// <summary>Runs a timer's work: a bug must end in the log, not take the process down with every other call.</summary>
    private void Guarded(Action<CallController> work)
    {
        try
        {
            work(this);
        }
#pragma warning disable CA1031 // A timer thread has nobody above it to catch.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogTimerFailed(e, Call.CallId);
        }
    }

    /// <summary>The id of the call's row in <c>calls</c>.</summary>
    public Guid RecordId => _recordId;

    private InboundCall Call => _inbound.Call;

    internal void Start()
    {
        var call = Call;
        if (_organisationId is { } organisation)
        {
            var location = CallerGeography.Locate(AsE164(call.CallerNumber));
            _control.Record(CallRecordOperation.Start(new CallStarted(organisation, _route.Number.E164, call.CallId, call.StartedAt)
            {
                CallId = _recordId,
                TrackingNumberId = _route.NumberId,
                CampaignId = _route.CampaignId,
                Trunk = call.Trunk,
                TwilioCallSid = call.TwilioCallSid,
                CallerNumber = call.CallerNumber.Length == 0 ? null : call.CallerNumber,
                CallerName = call.CallerName.Length == 0 ? null : call.CallerName,
                CallerCountry = location?.CountryCode,
                CallerRegion = location?.Region,
            }));
        }

        lock (_lock)
        {
            _maxTimer = _control.Time.CreateTimer(static s => ((CallController)s!).Guarded(static c => c.OnMaxDuration()), this, _plan.MaxCallDuration, Timeout.InfiniteTimeSpan);
        }
    }

    public void OnInboundAnswered()
    {
        lock (_lock)
        {
            if (_phase != Phase.Ringing)
            {
                return;
            }

            // Live transcription hears the caller's leg both ways (the caller, and what the caller hears), timed
            // from this answer like the recording.
            if (_organisationId is { } organisation && _control.Live?.Begin(_recordId, organisation) is { } tap)
            {
                _inbound.Media.Tap(tap);
            }

            var notice = _route.Prompts.Notice(_plan);
            if (notice is not null)
            {
                _inbound.Media.Play(notice);
            }

            if (_plan.Forward.Count == 0)
            {
                // Nothing to forward to: the engine's answer is the call's answer; the caller is recorded until hang-up.
                _phase = Phase.Recording;
                RecordAnswered(Call.AnsweredAt ?? _control.Time.GetUtcNow());
                return;
            }

            _phase = Phase.Announcing;
            if (notice is null)
            {
                StartForwarding();
                return;
            }

            _stepTimer = _control.Time.CreateTimer(static s => ((CallController)s!).Guarded(static c => c.OnNoticePlayed()), this, notice.Duration, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnNoticePlayed()
    {
        lock (_lock)
        {
            if (_phase == Phase.Announcing)
            {
                StartForwarding();
            }
        }
    }

    private void StartForwarding()
    {
        _phase = Phase.Forwarding;
        LogForwarding(Call.CallId, _plan.Forward.Count, _plan.ForwardMode);
        if (_plan.ForwardMode == ForwardMode.Simultaneous)
        {
            _nextTarget = _plan.Forward.Count;
            foreach (var target in _plan.Forward)
            {
                if (_phase != Phase.Forwarding)
                {
                    return;
                }

                Dial(target);
            }

            if (_phase == Phase.Forwarding && _legs.TrueForAll(l => l.Done))
            {
                NobodyAnswered();
            }

            return;
        }

        DialNext();
    }

    /// <summary>Sequential: the next destination that can be dialled, else voicemail or hang-up.</summary>
    private void DialNext()
    {
        while (_phase == Phase.Forwarding && _nextTarget < _plan.Forward.Count)
        {
            if (Dial(_plan.Forward[_nextTarget++]))
            {
                return;
            }
        }

        if (_phase == Phase.Forwarding && _legs.TrueForAll(l => l.Done))
        {
            NobodyAnswered();
        }
    }

    /// <summary>Opens leg B's media beside the caller's and dials; false when it could not even start.</summary>
    private bool Dial(ForwardTarget target)
    {
        IReadOnlyList<OutboundTrunk> trunks = [];
        if (target.Trunk is { } trunk)
        {
            if (!_control.Trunks.TryGetValue(trunk.Name, out var outbound))
            {
                Failed(target, 503, $"trunk {trunk.Name} has no Outbound section");
                return false;
            }

            trunks = [outbound];
        }

        if (_control.Dialer is not { } dialer)
        {
            Failed(target, 503, "no outbound dialer");
            return false;
        }

        if (!_control.Media.TryOpen(out var media, _inbound.Media))
        {
            Failed(target, 503, "no free media port");
            return false;
        }

        var sdp = new SdpSession((ulong)Random.Shared.NextInt64(1, 1L << 62));
        var offer = new SdpOfferBuilder().Build(_inbound.MediaAddress, media.RtpPort, sdp).ToString();
        var destination = new Destination(this, target, media, sdp);
        _legs.Add(destination);
        _control.Track(destination);
        if (_organisationId is { } organisation)
        {
            _control.Record(CallRecordOperation.AddLeg(new CallLegStarted(_recordId, organisation, target.To, _control.Time.GetUtcNow())
            {
                LegId = destination.LegId,
                Trunk = target.Trunk?.Name,
            }));
        }

        var call = Call;
        var request = new DialRequest(target.To, trunks, AsE164(call.CallerNumber) ?? call.CallerNumber, Encoding.ASCII.GetBytes(offer))
        {
            CallerDisplayName = call.CallerName.Length == 0 ? null : call.CallerName,
            TrackingNumber = _route.Number.E164,
            RingTimeout = target.Ring,
        };
        LogDialing(call.CallId, target.To, target.Trunk?.Name ?? "-");
        var leg = dialer.Dial(request, destination);
        destination.Leg ??= leg;
        if (_organisationId is { } owner)
        {
            // The leg row was written before the INVITE existed; its Call-ID finds the leg in the business's logs.
            _control.Record(CallRecordOperation.UpdateLeg(new CallLegUpdate(destination.LegId, _recordId, owner) { SipCallId = leg.CallId }));
        }

        return true;
    }

    private void Failed(ForwardTarget target, int status, string reason)
    {
        LogTargetFailed(Call.CallId, target.To, status, reason);
        _lastFinalStatus = status;
        _lastFinalReason = reason;
    }

    private void OnProvisional(Destination destination, int statusCode, ReadOnlyMemory<byte> sdp)
    {
        lock (_lock)
        {
            if (_phase != Phase.Forwarding || destination.Done)
            {
                return;
            }

            if (!_ringingRecorded && _organisationId is { } organisation)
            {
                _ringingRecorded = true;
                _control.Record(CallRecordOperation.Event(_recordId, organisation, CallEventKinds.Ringing, new JsonObject
                {
                    ["legId"] = destination.LegId,
                    ["destination"] = destination.Target.To,
                    ["status"] = statusCode,
                }));
            }

            if (!sdp.IsEmpty && _early is null && TryStartMedia(destination, sdp))
            {
                // Early media (183 with SDP): the caller hears the destination's own ringback or announcement.
                _early = destination;
                _inbound.Media.Bridge(destination.Media);
                return;
            }

            if (_early is null)
            {
                _inbound.Media.PlayRingback(true);
            }
        }
    }

    private void OnAnswered(Destination destination, OutboundLeg leg, ReadOnlyMemory<byte> sdp)
    {
        lock (_lock)
        {
            if (_phase != Phase.Forwarding || destination.Done)
            {
                // Another destination won, or the caller is gone: this one is not wanted.
                destination.Done = true;
                leg.Hangup();
                destination.Media.Stop();
                return;
            }

            _winner = destination;
            _stepTimer?.Dispose();
            foreach (var other in _legs)
            {
                if (other != destination && !other.Done)
                {
                    other.Done = true;
                    other.Leg?.Cancel();
                    other.Media.Stop();
                }
            }

            if (!sdp.IsEmpty && !(destination.MediaStarted ? TryUpdateMedia(destination, sdp) : TryStartMedia(destination, sdp)))
            {
                LogNoAnswerSdp(Call.CallId, destination.Target.To);
            }
            else if (sdp.IsEmpty && !destination.MediaStarted)
            {
                LogNoAnswerSdp(Call.CallId, destination.Target.To);
            }

            var now = _control.Time.GetUtcNow();
            RecordAnswered(now);
            if (_organisationId is { } organisation)
            {
                _control.Record(CallRecordOperation.UpdateLeg(new CallLegUpdate(destination.LegId, _recordId, organisation) { AnsweredAt = now, FinalStatus = 200, Reason = "OK" }));
            }

            LogAnswered(Call.CallId, destination.Target.To);
            var whisper = _route.Prompts.Whisper(_plan);
            if (whisper is null)
            {
                BridgeWinner();
                return;
            }

            // The whisper is for the business alone: the caller keeps hearing ringback until the bridge.
            _phase = Phase.Whisper;
            if (_early == destination)
            {
                _inbound.Media.Unbridge();
            }

            _inbound.Media.PlayRingback(true);
            destination.Media.Play(whisper);
            _stepTimer = _control.Time.CreateTimer(static s => ((CallController)s!).Guarded(static c => c.OnWhisperPlayed()), this, whisper.Duration + TimeSpan.FromMilliseconds(100), Timeout.InfiniteTimeSpan);
        }
    }

    private void OnWhisperPlayed()
    {
        lock (_lock)
        {
            if (_phase == Phase.Whisper)
            {
                BridgeWinner();
            }
        }
    }

    private void BridgeWinner()
    {
        var winner = _winner!;
        _phase = Phase.Bridged;
        _inbound.Media.PlayRingback(false);
        _inbound.Media.Bridge(winner.Media);
        LogBridged(Call.CallId, winner.Target.To);
        if (_organisationId is { } organisation)
        {
            _control.Record(CallRecordOperation.UpdateLeg(new CallLegUpdate(winner.LegId, _recordId, organisation) { Bridged = true }));
        }
    }

    private void OnFailed(Destination destination, int statusCode, string reason)
    {
        lock (_lock)
        {
            if (_organisationId is { } organisation)
            {
                _control.Record(CallRecordOperation.UpdateLeg(new CallLegUpdate(destination.LegId, _recordId, organisation)
                {
                    EndedAt = _control.Time.GetUtcNow(),
                    FinalStatus = statusCode,
                    Reason = reason,
                }));
            }

            destination.Media.Stop();
            if (destination.Done)
            {
                return;
            }

            destination.Done = true;
            LogTargetFailed(Call.CallId, destination.Target.To, statusCode, reason);
            if (_phase != Phase.Forwarding)
            {
                return;
            }

            _lastFinalStatus = statusCode;
            _lastFinalReason = reason;
            if (_early == destination)
            {
                _inbound.Media.Unbridge();
                _early = null;
                _inbound.Media.PlayRingback(true);
            }

            if (_plan.ForwardMode == ForwardMode.Sequential)
            {
                DialNext();
            }
            else if (_legs.TrueForAll(l => l.Done))
            {
                NobodyAnswered();
            }
        }
    }

    private void NobodyAnswered()
    {
        _inbound.Media.PlayRingback(false);
        if (_early is not null)
        {
            _inbound.Media.Unbridge();
            _early = null;
        }

        if (_plan.Voicemail is { } voicemail)
        {
            _phase = Phase.Voicemail;
            LogVoicemail(Call.CallId, voicemail.MaxDuration.TotalSeconds);
            var greeting = _route.Prompts.Greeting(_plan);
            if (greeting is not null)
            {
                _inbound.Media.Play(greeting);
            }

            var length = (greeting?.Duration ?? TimeSpan.Zero) + voicemail.MaxDuration;
            _stepTimer = _control.Time.CreateTimer(static s => ((CallController)s!).Guarded(static c => c.OnVoicemailFull()), this, length, Timeout.InfiniteTimeSpan);
            return;
        }

        var disposition = _lastFinalStatus switch
        {
            486 or 600 => CallDisposition.Busy,
            0 or 408 or 480 or 487 => CallDisposition.NoAnswer,
            _ => CallDisposition.Failed,
        };
        HangupInbound(disposition, HangupParty.Engine, _lastFinalStatus == 0 ? "no answer" : $"{_lastFinalStatus} {_lastFinalReason}");
    }

    private void OnVoicemailFull()
    {
        lock (_lock)
        {
            if (_phase == Phase.Voicemail)
            {
                HangupInbound(CallDisposition.Voicemail, HangupParty.Engine, "voicemail maximum length");
            }
        }
    }

    private void OnMaxDuration()
    {
        lock (_lock)
        {
            if (_phase == Phase.Ended)
            {
                return;
            }

            LogMaxDuration(Call.CallId, _plan.MaxCallDuration.TotalMinutes);
            HangupInbound(DispositionNow(), HangupParty.Engine, "maximum call length");
        }
    }

    private void OnEnded(Destination destination, bool byRemote)
    {
        lock (_lock)
        {
            if (destination != _winner || _phase == Phase.Ended)
            {
                return;
            }

            HangupInbound(CallDisposition.Answered, byRemote ? HangupParty.Callee : HangupParty.Engine, "BYE");
        }
    }

    internal void OnLegMediaInactive(Destination destination)
    {
        lock (_lock)
        {
            if (destination != _winner || _phase == Phase.Ended)
            {
                return;
            }

            LogLegNoMedia(Call.CallId, destination.Target.To);
            HangupInbound(DispositionNow(), HangupParty.Engine, "no RTP from the destination");
        }
    }

    /// <summary>Ends the caller's leg ourselves; <see cref="OnInboundEnded"/> follows (from inside this call).</summary>
    private void HangupInbound(CallDisposition disposition, HangupParty by, string reason)
    {
        _disposition ??= disposition;
        _hangupBy ??= by;
        _sipReason ??= reason;
        _inbound.Hangup();

        // Hangup ends the session synchronously; should it not (already ending), make sure the legs go too.
        if (_phase != Phase.Ended)
        {
            OnInboundEnded(CallEndReason.EngineHungUp);
        }
    }

    private CallDisposition DispositionNow() => _phase switch
    {
        Phase.Bridged or Phase.Whisper or Phase.Recording => CallDisposition.Answered,
        Phase.Voicemail => CallDisposition.Voicemail,
        _ => CallDisposition.Abandoned,
    };

    public void OnInboundEnded(CallEndReason reason)
    {
        lock (_lock)
        {
            if (_phase == Phase.Ended)
            {
                return;
            }

            var disposition = DispositionNow();
            _phase = Phase.Ended;
            _stepTimer?.Dispose();
            _maxTimer?.Dispose();
            foreach (var destination in _legs)
            {
                if (destination == _winner)
                {
                    destination.Leg?.Hangup();
                    if (_organisationId is { } organisation)
                    {
                        _control.Record(CallRecordOperation.UpdateLeg(new CallLegUpdate(destination.LegId, _recordId, organisation) { EndedAt = _control.Time.GetUtcNow() }));
                    }
                }
                else if (!destination.Done)
                {
                    // Still ringing: RFC 3261 §9.1 CANCEL (the dialer sends it once the destination has answered 1xx).
                    destination.Done = true;
                    destination.Leg?.Cancel();
                }

                destination.Media.Stop();
            }

            _disposition ??= disposition;
            _hangupBy ??= reason is CallEndReason.CallerHungUp or CallEndReason.Cancelled ? HangupParty.Caller : HangupParty.Engine;
            _sipReason ??= reason switch
            {
                CallEndReason.CallerHungUp => "BYE",
                CallEndReason.Cancelled => "CANCEL",
                _ => reason.ToString(),
            };
            _endedAt = Call.EndedAt ?? _control.Time.GetUtcNow();
            LogEnded(Call.CallId, _disposition.Value, _hangupBy.Value, _sipReason);

            // The quality figures come with the caller's media summary; wait for it a little.
            if (_inboundSummary is not null)
            {
                WriteEnd();
            }
            else
            {
                _endFallback = _control.Time.CreateTimer(static s => ((CallController)s!).Guarded(static c => c.OnEndFallback()), this, EndRecordFallback, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void OnEndFallback()
    {
        lock (_lock)
        {
            WriteEnd();
        }
    }

    public void OnInboundMediaEvent(MediaEvent mediaEvent)
    {
        if (_organisationId is not { } organisation)
        {
            return;
        }

        if (mediaEvent.Kind == MediaEventKind.Dtmf)
        {
            // PCI: a key pressed while the recording is paused (a card number keyed in) is not stored either.
            var masked = IsRecordingPaused;
            OnDtmfKey(mediaEvent.Digit);
            _control.Record(CallRecordOperation.Event(_recordId, organisation, CallEventKinds.Dtmf, new JsonObject
            {
                ["digit"] = masked ? string.Empty : mediaEvent.Digit.ToString(),
                ["redacted"] = masked ? true : null,
                ["durationMs"] = (int)mediaEvent.Duration.TotalMilliseconds,
            }));
            return;
        }

        if (mediaEvent is { Kind: MediaEventKind.Stopped, Summary: { } summary })
        {
            lock (_lock)
            {
                _inboundSummary = summary;
                if (_phase == Phase.Ended)
                {
                    WriteEnd();
                }
            }
        }
    }

    private void WriteEnd()
    {
        _endFallback?.Dispose();
        if (_endWritten || _organisationId is not { } organisation)
        {
            return;
        }

        _endWritten = true;
        _control.Forget(_recordId);
        var summary = _inboundSummary;
        var codec = _inbound.Audio is { } audio && audio.Codec.EncodingName.Equals("PCMA", StringComparison.OrdinalIgnoreCase) ? AudioCodec.Pcma : AudioCodec.Pcmu;

        var ended = new CallEnded(_recordId, organisation, _endedAt, _disposition ?? CallDisposition.Failed)
        {
            HangupBy = _hangupBy,
            SipReason = _sipReason,
        };
        if (summary is { PacketsReceived: > 0 })
        {
            var lossPercent = 100.0 * summary.PacketsLost / (summary.PacketsReceived + Math.Max(0, summary.PacketsLost));
            ended = ended with
            {
                PacketsLost = summary.PacketsLost,
                JitterMs = Math.Round(summary.JitterMilliseconds, 2),
                Mos = Math.Round(EModel.EstimateMos(codec, lossPercent, summary.JitterMilliseconds), 2),
            };
        }

        _control.Record(CallRecordOperation.End(ended));
        if (summary is not null && (summary.RecordingPath is not null || summary.RecordingError is not null))
        {
            _control.Record(CallRecordOperation.Recording(new RecordingReady(_recordId, organisation)
            {
                Path = summary.RecordingPath,
                DurationMs = (long)summary.RecordingDuration.TotalMilliseconds,
                Bytes = summary.RecordingBytes,
                Codec = summary.RecordingCodec,
                Channels = 2,
                Error = summary.RecordingError,
                PausedSpans = [.. summary.PausedSpans.Select(p => ((long)p.Start.TotalMilliseconds, (long)p.End.TotalMilliseconds))],
            }));
        }
    }

    private void RecordAnswered(DateTimeOffset at)
    {
        if (_organisationId is { } organisation)
        {
            _control.Record(CallRecordOperation.Answer(new CallAnswered(_recordId, organisation, at)));
        }
    }

    /// <summary>Carriers send the caller as <c>+15551230001</c> or <c>15551230001</c>; geography wants E.164.</summary>
    private static string? AsE164(string number)
    {
        if (number.Length == 0)
        {
            return null;
        }

        return number[0] != '+' && number.Length is >= 8 and <= 15 && number.All(char.IsAsciiDigit) ? "+" + number : number;
    }
}
