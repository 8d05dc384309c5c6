namespace CallTracking.Grpc.Compression;

/// <summary>The outcome of <see cref="GzipMessageCompression.TryDecompress"/>.</summary>
public enum DecompressStatus
{
    Ok,

    /// <summary>The decompressed message would be larger than allowed (a zip bomb stops here, at the cap).</summary>
    TooLarge,

    /// <summary>Not a valid gzip stream.</summary>
    Corrupt,
}
