namespace CallTracking.Media.Recording;

/// <summary>What <see cref="OggPageReader.TryRead"/> found at the start of its input.</summary>
public enum OggPageReadResult
{
    /// <summary>A whole page with a valid checksum.</summary>
    Page,

    /// <summary>The input ends inside a page (a file cut short, or more bytes still to come).</summary>
    Incomplete,

    /// <summary>The input does not start with "OggS" and version 0.</summary>
    NotAPage,

    /// <summary>A whole page whose checksum does not match its contents.</summary>
    BadChecksum,
}
