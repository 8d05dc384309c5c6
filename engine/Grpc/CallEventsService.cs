using CallTracking.Engine.Events;
using CallTracking.Grpc.Server;
using CallTracking.Grpc.V1;

namespace CallTracking.Engine.Grpc;

/// <summary>
/// <c>calltracking.v1.CallEvents</c>: Subscribe streams the node's <see cref="EventFeed"/> to one client, filtered
/// to what its key may see. Ends RESOURCE_EXHAUSTED when the client reads too slowly (its queue filled) and
/// UNAVAILABLE when the engine stops; both tell the client the id to resume after.
/// </summary>
public sealed class CallEventsService : IGrpcService
{
    public const string ServiceName = "calltracking.v1.CallEvents";

    private readonly EventFeed _feed;
    private readonly GrpcAuthentication _authentication;

    public CallEventsService(EventFeed feed, GrpcAuthentication authentication)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(authentication);
        _feed = feed;
        _authentication = authentication;
    }

    public void Register(GrpcMethodRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.AddServerStreaming<SubscribeRequest, CallEvent>(ServiceName, "Subscribe", SubscribeAsync);
    }

    public async Task SubscribeAsync(SubscribeRequest request, IServerStreamWriter<CallEvent> stream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(context);
        var principal = await _authentication.AuthenticateAsync(context).ConfigureAwait(false);
        var organisations = request.OrganisationIds.Count == 0
            ? principal.VisibleOrganisations
            : request.OrganisationIds.Select(id => GrpcArguments.VisibleOrganisation(principal, id, "organisation_ids")).ToList();
        var filter = new EventFilter(
            organisations,
            request.TrackingNumbers.Select(n => GrpcArguments.TrackingNumber(n, "tracking_numbers")).ToList(),
            request.CampaignIds.Select(c => GrpcArguments.Uuid(c, "campaign_ids")).ToList(),
            request.Kinds.Select(k => GrpcArguments.Kind(k, "kinds")).ToList());
        if (request.HasResumeAfter && request.ResumeAfter < 0)
        {
            throw new GrpcException(StatusCode.InvalidArgument, "resume_after: an event id is never negative");
        }

        try
        {
            using var subscription = _feed.Subscribe(filter, request.HasResumeAfter ? request.ResumeAfter : null);

            // Subscribed: from here nothing is missed, so say so now. A quiet stream would otherwise send no headers
            // until the first event, and a browser (fetch) or a client waiting for headers cannot tell it is live.
            await stream.WriteResponseHeadersAsync(context.CancellationToken).ConfigureAwait(false);
            await foreach (var callEvent in subscription.ReadAllAsync(context.CancellationToken).ConfigureAwait(false))
            {
                await stream.WriteAsync(callEvent, context.CancellationToken).ConfigureAwait(false);
            }
        }
        catch (SubscriptionEndedException e) when (e.Reason == SubscriptionEndReason.FellBehind)
        {
            throw new GrpcException(StatusCode.ResourceExhausted, $"subscriber fell behind; resume with resume_after={e.ResumeAfter}");
        }
        catch (SubscriptionEndedException e)
        {
            throw new GrpcException(StatusCode.Unavailable, $"the engine is shutting down; reconnect with resume_after={e.ResumeAfter}");
        }
    }
}
