namespace CallTracking.Engine.Hosting;

/// <summary>The SIP stack could not start (a port in use, an address not on this machine); the message says what to do.</summary>
public sealed class SipStartupException : Exception
{
    public SipStartupException()
    {
    }

    public SipStartupException(string message)
        : base(message)
    {
    }

    public SipStartupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
