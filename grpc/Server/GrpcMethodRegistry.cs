using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Google.Protobuf;

namespace CallTracking.Grpc.Server;

/// <summary>
/// The methods the server answers, by path (<c>/package.Service/Method</c>). Filled by every
/// <see cref="IGrpcService"/> at start-up, read-only afterwards. A path no service registered is
/// answered UNIMPLEMENTED.
/// </summary>
public sealed class GrpcMethodRegistry
{
    // Registration happens once at start-up under the lock; after Freeze() lookups read the frozen map without it.
    private readonly Lock _gate = new();
    private readonly Dictionary<string, GrpcMethod> _methods = new(StringComparer.Ordinal);
    private readonly List<string> _services = [];
    private FrozenDictionary<string, GrpcMethod>? _frozen;

    /// <summary>Registers a unary method: one request, one response.</summary>
    /// <param name="service">The service's full name, e.g. <c>calltracking.v1.Calls</c>.</param>
    /// <param name="method">The method's name, e.g. <c>GetCall</c>.</param>
    public GrpcMethodRegistry AddUnary<TRequest, TResponse>(string service, string method, Func<TRequest, ServerCallContext, Task<TResponse>> handler)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        ArgumentNullException.ThrowIfNull(handler);
        Add(new UnaryMethod<TRequest, TResponse>(service, method, handler));
        return this;
    }

    /// <summary>Registers a server-streaming method: one request, any number of responses.</summary>
    public GrpcMethodRegistry AddServerStreaming<TRequest, TResponse>(string service, string method, Func<TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task> handler)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        ArgumentNullException.ThrowIfNull(handler);
        Add(new ServerStreamingMethod<TRequest, TResponse>(service, method, handler));
        return this;
    }

    /// <summary>The full names of the registered services (for health checks and reflection-like listings).</summary>
    public IReadOnlyCollection<string> Services
    {
        get
        {
            lock (_gate)
            {
                return _services.ToArray();
            }
        }
    }

    /// <summary>Every registered method's path (<c>/package.Service/Method</c>), e.g. for checking each has an access policy.</summary>
    public IReadOnlyCollection<string> MethodPaths
    {
        get
        {
            lock (_gate)
            {
                return _frozen is { } frozen ? [.. frozen.Keys] : [.. _methods.Keys];
            }
        }
    }

    /// <summary>Whether a service registered at least one method.</summary>
    public bool HasService(string service)
    {
        lock (_gate)
        {
            return _services.Contains(service, StringComparer.Ordinal);
        }
    }

    internal bool TryGetMethod(string path, [MaybeNullWhen(false)] out GrpcMethod method)
    {
        var frozen = Volatile.Read(ref _frozen);
        if (frozen is not null)
        {
            return frozen.TryGetValue(path, out method);
        }

        lock (_gate)
        {
            return _methods.TryGetValue(path, out method);
        }
    }

    /// <summary>Ends registration: later Add calls fail, lookups stop taking the lock.</summary>
    internal void Freeze()
    {
        lock (_gate)
        {
            Volatile.Write(ref _frozen, _methods.ToFrozenDictionary(StringComparer.Ordinal));
        }
    }

    private void Add(GrpcMethod method)
    {
        lock (_gate)
        {
            if (_frozen is not null)
            {
                throw new InvalidOperationException($"gRPC method {method.Path} registered after the server started.");
            }

            if (!_methods.TryAdd(method.Path, method))
            {
                throw new InvalidOperationException($"gRPC method {method.Path} is registered twice.");
            }

            if (!_services.Contains(method.Service, StringComparer.Ordinal))
            {
                _services.Add(method.Service);
            }
        }
    }
}
