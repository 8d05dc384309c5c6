using CallTracking.Engine.Configuration;

namespace CallTracking.Engine.Cli;

/// <summary>What <c>calltracking run</c> calls once the configuration is valid; tests substitute it.</summary>
public delegate Task<int> EngineEntryPoint(EngineSettings settings, IConfiguration configuration, CancellationToken cancellationToken);

/// <summary>What <c>calltracking migrate</c> calls once the configuration is valid; tests substitute it.</summary>
public delegate Task<int> MigrateEntryPoint(EngineSettings settings, TextWriter output, TextWriter error, CancellationToken cancellationToken);
