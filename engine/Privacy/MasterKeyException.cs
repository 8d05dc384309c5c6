namespace CallTracking.Engine.Privacy;

/// <summary>The master key file cannot be used; the message says what to do.</summary>
public sealed class MasterKeyException : Exception
{
    public MasterKeyException()
    {
    }

    public MasterKeyException(string message)
        : base(message)
    {
    }

    public MasterKeyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
