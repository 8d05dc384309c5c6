namespace CallTracking.Media.Native;

/// <summary>A native library the media assembly binds, and where it comes from.</summary>
/// <param name="LogicalName">The name in <c>[LibraryImport]</c>, e.g. <c>opus</c>.</param>
/// <param name="DisplayName">What an operator calls it, e.g. <c>libopus</c>.</param>
/// <param name="DebianPackage">The package that installs it, e.g. <c>libopus0</c>; empty when none does.</param>
/// <param name="FileNames">Files to try, in order, before the runtime's default probing.</param>
public sealed record NativeLibraryInfo(string LogicalName, string DisplayName, string DebianPackage, IReadOnlyList<string> FileNames)
{
    /// <summary>What to do when the library is missing; by default, installing <see cref="DebianPackage"/>.</summary>
    public string? Remedy { get; init; }

    /// <summary>The start-up message when the library cannot be loaded.</summary>
    public string MissingMessage =>
        Remedy is null
            ? $"{DisplayName} is not installed: install the Debian package {DebianPackage} (apt-get install {DebianPackage})"
            : $"{DisplayName} is not installed: {Remedy}";
}
