using CallTracking.IntegrationTests.Infrastructure.GrpcPeers;

namespace CallTracking.IntegrationTests.Grpc;

/// <summary>The interop cases with @grpc/grpc-js (a pure JavaScript HTTP/2 client, not gRPC core).</summary>
public sealed class NodeGrpcInteropTests : GrpcClientInteropTests
{
    protected override GrpcPeerProcess Start(GrpcClientCall call) => NodeGrpc.StartCall(call, Directory);
}
