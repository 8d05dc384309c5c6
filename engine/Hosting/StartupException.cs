namespace CallTracking.Engine.Hosting;

/// <summary>The engine could not start (a SIP port in use, a native library missing); the message says what to do.</summary>
public sealed class StartupException : Exception
{
    public StartupException()
    {
    }

    public StartupException(string message)
        : base(message)
    {
    }

    public StartupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
