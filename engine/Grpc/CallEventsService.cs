using CallTracking.Engine.Events;
using CallTracking.Grpc.Server;
using CallTracking.Grpc.V1;

namespace CallTracking.Engine.Grpc;

/// <summary>
/// <c>calltracking.v1.CallEvents</c>: Subscribe streams the node's <see cref="EventFeed"/> to one client, filtered
/// to what its key may see. Ends RESOURCE_EXHAUSTED when the client reads too slowly (its queue filled) and
/// UNAVAILABLE when the engine stops; both tell the client the id to resume after.
/// </summary>
public sealed partial class CallEventsService : IGrpcService
{
    public const string ServiceName = "calltracking.v1.CallEvents";

    private readonly EventFeed _feed;
    private readonly GrpcAuthentication _authentication;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger _logger;

    public CallEventsService(EventFeed feed, GrpcAuthentication authentication, IHostApplicationLifetime lifetime, ILogger<CallEventsService> logger)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(authentication);
        ArgumentNullException.ThrowIfNull(lifetime);
        ArgumentNullException.ThrowIfNull(logger);
        _feed = feed;
        _authentication = authentication;
        _lifetime = lifetime;
        _logger = logger;
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

        EventSubscription? subscription = null;
        try
        {
            subscription = _feed.Subscribe(filter, request.HasResumeAfter ? request.ResumeAfter : null);
            LogOpened(subscription.StartCursor, request.HasResumeAfter ? request.ResumeAfter : null, _feed.SubscriberCount);

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
        catch (OperationCanceledException) when (subscription is not null && _lifetime.ApplicationStopping.IsCancellationRequested && !context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            // The call's token also fires when the server stops, and it fires before the feed ends its subscriptions
            // (the call registered on ApplicationStopping later, and callbacks run last-registered first): the stream
            // ends UNAVAILABLE with its resume point either way. Past a deadline the dispatcher reports DEADLINE_EXCEEDED.
            throw new GrpcException(StatusCode.Unavailable, $"the engine is shutting down; reconnect with resume_after={subscription.LastDeliveredId}");
        }
        finally
        {
            if (subscription is not null)
            {
                subscription.Dispose();
                LogClosed(subscription.LastDeliveredId, context.CancellationToken.IsCancellationRequested, _feed.SubscriberCount);
            }
        }
    }

    // Debug: an operator counts streams with the calltracking.events.subscribers gauge; these lines say when one
    // came and went (tests read them to know a stream is registered before they make events happen).
    [LoggerMessage(Level = LogLevel.Debug, Message = "Event stream opened at event {Cursor} (resume_after {ResumeAfter}); {Subscribers} subscribers on this node")]
    private partial void LogOpened(long cursor, long? resumeAfter, int subscribers);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Event stream closed after event {LastId} (cancelled: {Cancelled}); {Subscribers} subscribers on this node")]
    private partial void LogClosed(long lastId, bool cancelled, int subscribers);
}
