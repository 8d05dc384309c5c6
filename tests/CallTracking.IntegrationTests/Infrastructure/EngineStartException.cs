namespace CallTracking.IntegrationTests.Infrastructure;

/// <summary>The engine did not become ready; the message carries its log tail and folder.</summary>
public sealed class EngineStartException : Exception
{
    public EngineStartException()
    {
    }

    public EngineStartException(string message)
        : base(message)
    {
    }

    public EngineStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal EngineStartException(string reason, EngineProcess engine)
        : base($"{reason}\n$ {engine.CommandLine}\nTest folder: {engine.Directory}\n--- engine log (tail) ---\n{engine.LogTail(60)}")
    {
    }
}
