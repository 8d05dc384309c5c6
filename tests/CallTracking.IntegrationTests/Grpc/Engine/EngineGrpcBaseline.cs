namespace CallTracking.IntegrationTests.Grpc.Engine;

/// <summary>The calls <see cref="EngineGrpcFixture.BaselineAsync"/> placed once per class (engine call ids).</summary>
public sealed record EngineGrpcBaseline(Guid AcmeCall, Guid BravoCall);
