using CallTracking.IntegrationTests.Infrastructure;
using CallTracking.IntegrationTests.Infrastructure.GrpcPeers;

namespace CallTracking.IntegrationTests.Grpc.Engine;

/// <summary>The engine's gRPC API with @grpc/grpc-js (a pure JavaScript HTTP/2 client, not gRPC core).</summary>
[Collection(SippCollection.Name)]
public sealed class NodeEngineGrpcTests(EngineGrpcFixture fixture) : EngineGrpcInteropTests(fixture), IClassFixture<EngineGrpcFixture>
{
    protected override GrpcPeerProcess Start(GrpcClientCall call, string name) => NodeGrpc.StartCall(call, Directory, "node-" + name);
}
