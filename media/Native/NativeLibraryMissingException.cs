namespace CallTracking.Media.Native;

/// <summary>A native library media needs is not installed; the message names the Debian package.</summary>
public sealed class NativeLibraryMissingException : Exception
{
    public NativeLibraryMissingException()
    {
    }

    public NativeLibraryMissingException(string message)
        : base(message)
    {
    }

    public NativeLibraryMissingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public NativeLibraryMissingException(NativeLibraryInfo library, Exception? innerException = null)
        : base(library?.MissingMessage, innerException)
    {
        Library = library;
    }

    public NativeLibraryInfo? Library { get; }
}
