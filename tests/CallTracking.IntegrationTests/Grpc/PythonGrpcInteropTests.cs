using CallTracking.IntegrationTests.Infrastructure.GrpcPeers;

namespace CallTracking.IntegrationTests.Grpc;

/// <summary>The interop cases with Debian's python3-grpcio (gRPC core 1.51).</summary>
public sealed class PythonGrpcInteropTests : GrpcClientInteropTests
{
    protected override GrpcPeerProcess Start(GrpcClientCall call) => PythonGrpc.StartCall(call, Directory);
}
