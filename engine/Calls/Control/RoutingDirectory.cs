using CallTracking.Engine.Tracking;

namespace CallTracking.Engine.Calls.Control;

/// <summary>
/// The tracking numbers calls are routed by, in memory: what the SIP threads read (never the database). Replaced
/// as a whole by <see cref="RoutingDirectoryService"/> at start and on every refresh. Thread-safe.
/// </summary>
public sealed class RoutingDirectory
{
    private Snapshot _current = new(new TrackingNumberDirectory([]), new Dictionary<string, RouteEntry>(StringComparer.Ordinal));

    public RoutingDirectory(IEnumerable<RouteEntry> initial)
    {
        Replace(initial);
    }

    public int Count => Volatile.Read(ref _current).Routes.Count;

    public IEnumerable<RouteEntry> Routes => Volatile.Read(ref _current).Routes.Values;

    /// <summary>The route of a Request-URI user part (<c>+15551230001</c>, <c>15551230001</c>, ...).</summary>
    public bool TryFind(ReadOnlySpan<byte> requestUriUser, out RouteEntry route)
    {
        var snapshot = Volatile.Read(ref _current);
        if (snapshot.Numbers.TryFind(requestUriUser, out var number) && snapshot.Routes.TryGetValue(number.E164, out var found))
        {
            route = found;
            return true;
        }

        route = null!;
        return false;
    }

    public void Replace(IEnumerable<RouteEntry> routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var byNumber = new Dictionary<string, RouteEntry>(StringComparer.Ordinal);
        foreach (var route in routes)
        {
            byNumber[route.Number.E164] = route;
        }

        Volatile.Write(ref _current, new Snapshot(new TrackingNumberDirectory(byNumber.Values.Select(r => r.Number)), byNumber));
    }

    private sealed record Snapshot(TrackingNumberDirectory Numbers, Dictionary<string, RouteEntry> Routes);
}
