namespace CallTracking.Grpc.Server;

/// <summary>
/// A gRPC service implementation: registers its methods once, when the wire layer starts.
/// Register implementations as singletons of this interface; <see cref="GrpcWireExtensions.UseGrpcWire"/> finds them all.
/// </summary>
public interface IGrpcService
{
    void Register(GrpcMethodRegistry registry);
}
