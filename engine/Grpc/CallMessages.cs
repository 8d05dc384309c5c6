using CallTracking.Engine.Api;
using CallTracking.Grpc.V1;
using Google.Protobuf.WellKnownTypes;

namespace CallTracking.Engine.Grpc;

/// <summary>The API's call records as <c>calltracking.v1</c> messages: absent values are the proto defaults (empty, 0, unset).</summary>
internal static class CallMessages
{
    public static Call ToMessage(CallResource call, CallDetails? details)
    {
        var message = new Call
        {
            Id = call.Id.ToString("D"),
            OrganisationId = call.OrganisationId.ToString("D"),
            TrackingNumber = call.TrackingNumber,
            TrackingNumberId = Id(call.TrackingNumberId),
            TrackingNumberName = details?.TrackingNumberName ?? string.Empty,
            CampaignId = Id(call.CampaignId),
            CampaignName = details?.CampaignName ?? string.Empty,
            Trunk = call.Trunk ?? string.Empty,
            CallerNumber = call.CallerNumber ?? string.Empty,
            CallerName = call.CallerName ?? string.Empty,
            CallerCountry = call.CallerCountry ?? string.Empty,
            CallerRegion = call.CallerRegion ?? string.Empty,
            StartedAt = Timestamp.FromDateTimeOffset(call.StartedAt),
            AnsweredAt = Time(call.AnsweredAt),
            EndedAt = Time(call.EndedAt),
            RingSeconds = (double)(call.RingSeconds ?? 0),
            TalkSeconds = (double)(call.TalkSeconds ?? 0),
            Disposition = call.Disposition ?? string.Empty,
            HangupBy = call.HangupBy ?? string.Empty,
            SipReason = call.SipReason ?? string.Empty,
            PacketsLost = call.PacketsLost ?? 0,
            JitterMs = call.JitterMs ?? 0,
            Mos = call.Mos ?? 0,
            HasRecording = call.HasRecording,
            RecordingDurationMs = call.HasRecording ? details?.RecordingDurationMs ?? 0 : 0,
            SipCallId = call.SipCallId,
            TwilioCallSid = call.TwilioCallSid ?? string.Empty,
        };
        return message;
    }

    public static CallLeg ToMessage(CallLegResource leg) => new()
    {
        Id = leg.Id.ToString("D"),
        Direction = leg.Direction,
        Destination = leg.Destination ?? string.Empty,
        Trunk = leg.Trunk ?? string.Empty,
        StartedAt = Timestamp.FromDateTimeOffset(leg.StartedAt),
        AnsweredAt = Time(leg.AnsweredAt),
        EndedAt = Time(leg.EndedAt),
        FinalStatus = leg.FinalStatus ?? 0,
        Reason = leg.Reason ?? string.Empty,
    };

    private static string Id(Guid? id) => id?.ToString("D") ?? string.Empty;

    private static Timestamp? Time(DateTimeOffset? time) => time is { } t ? Timestamp.FromDateTimeOffset(t) : null;
}
