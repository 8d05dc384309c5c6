using CallTracking.IntegrationTests.Infrastructure;
using CallTracking.IntegrationTests.Infrastructure.GrpcPeers;

namespace CallTracking.IntegrationTests.Grpc.Engine;

/// <summary>The engine's gRPC API with Debian's python3-grpcio (gRPC core 1.51).</summary>
[Collection(SippCollection.Name)]
public sealed class PythonEngineGrpcTests(EngineGrpcFixture fixture) : EngineGrpcInteropTests(fixture), IClassFixture<EngineGrpcFixture>
{
    protected override GrpcPeerProcess Start(GrpcClientCall call, string name) => PythonGrpc.StartCall(call, Directory, "python-" + name);
}
