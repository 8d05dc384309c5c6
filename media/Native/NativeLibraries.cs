using System.Reflection;
using System.Runtime.InteropServices;

namespace CallTracking.Media.Native;

/// <summary>
/// The one place that maps the logical library names used by this assembly's
/// <c>[LibraryImport]</c>s to files, and checks at start-up that they load.
/// </summary>
/// <remarks>
/// Debian installs only the versioned file (<c>libopus.so.0</c>) unless the -dev
/// package is present, and the runtime's default probing for "opus" looks for
/// <c>libopus.so</c>: so the resolver tries the versioned name first.
/// The runtime allows one resolver per assembly; it is registered by this type's
/// initializer, which runs once, before any binding type can make a call.
/// </remarks>
public static class NativeLibraries
{
    /// <summary>Logical name of libopus in <c>[LibraryImport]</c>.</summary>
    public const string OpusName = "opus";

    public static NativeLibraryInfo Opus { get; } =
        new(OpusName, "libopus", "libopus0", ["libopus.so.0", "libopus.so"]);

    /// <summary>Logical name of libwhisper in <c>[LibraryImport]</c>.</summary>
    public const string WhisperName = "whisper";

    /// <summary>
    /// libwhisper is not a Debian package: the set-up script builds it, or the operator
    /// names a file (Transcription:LibraryPath). <see cref="Transcription.WhisperLibrary"/>
    /// loads that file by its path first; resolving the soname below then finds the
    /// already-loaded library (the dynamic loader matches loaded objects by DT_SONAME),
    /// so the binding needs no path kept in a static.
    /// </summary>
    public static NativeLibraryInfo Whisper { get; } =
        new(WhisperName, "libwhisper", "", ["libwhisper.so.1"])
        {
            Remedy = "build it with engine/native/build-whisper (engine/run and tests/run do), or set Transcription:LibraryPath to a libwhisper.so.1 (whisper.cpp 1.9.1) of your own",
        };

    private static readonly NativeLibraryInfo[] Known = [Opus, Whisper];

    private static readonly bool ResolverRegistered = RegisterResolver();

    /// <summary>Makes sure the resolver is in place; binding types call this before their first native call.</summary>
    public static void EnsureResolverRegistered()
    {
        if (!ResolverRegistered)
        {
            throw new InvalidOperationException("The native library resolver is not registered.");
        }
    }

    /// <summary>Start-up check: loads the library or throws with the package to install.</summary>
    /// <exception cref="NativeLibraryMissingException">No candidate file loads.</exception>
    public static void EnsureAvailable(NativeLibraryInfo library)
    {
        ArgumentNullException.ThrowIfNull(library);
        EnsureResolverRegistered();
        if (!TryLoad(library, null, out _))
        {
            throw new NativeLibraryMissingException(library);
        }
    }

    /// <summary>Tries the library's file names in order, then the runtime's default probing.</summary>
    public static bool TryLoad(NativeLibraryInfo library, DllImportSearchPath? searchPath, out nint handle)
    {
        ArgumentNullException.ThrowIfNull(library);
        var assembly = typeof(NativeLibraries).Assembly;
        foreach (var fileName in library.FileNames)
        {
            if (NativeLibrary.TryLoad(fileName, assembly, searchPath, out handle))
            {
                return true;
            }
        }

        return NativeLibrary.TryLoad(library.LogicalName, assembly, searchPath, out handle);
    }

    private static bool RegisterResolver()
    {
        NativeLibrary.SetDllImportResolver(typeof(NativeLibraries).Assembly, Resolve);
        return true;
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        foreach (var library in Known)
        {
            if (string.Equals(library.LogicalName, libraryName, StringComparison.Ordinal))
            {
                return TryLoad(library, searchPath, out var handle) ? handle : 0;
            }
        }

        // Not ours: the runtime's default probing.
        return 0;
    }
}
