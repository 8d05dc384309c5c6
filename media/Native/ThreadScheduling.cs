using System.Runtime.InteropServices;

namespace CallTracking.Media.Native;

/// <summary>
/// The calling thread's scheduling priority on Linux: its nice value (setpriority(2) with the thread's id, which
/// Linux applies to that one thread). .NET's <see cref="Thread.Priority"/> does nothing on Linux, so the media
/// workers, whose 20 ms ticks carry what callers hear, would otherwise compete on equal terms with every other
/// thread on the machine. Lowering a thread's priority (a higher nice value) is always allowed; raising it needs
/// CAP_SYS_NICE (root, or systemd's <c>AmbientCapabilities=CAP_SYS_NICE</c>) or an RLIMIT_NICE that permits it.
/// </summary>
public static partial class ThreadScheduling
{
    private const int PrioProcess = 0;

    /// <summary>Sets the calling thread's nice value (-20 highest … 19 lowest).</summary>
    /// <returns>Null when set (or when not on Linux, where nothing is done); otherwise why not, with what to do.</returns>
    public static string? TrySetCurrentThreadNice(int nice)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nice, -20);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(nice, 19);
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        int tid = gettid();
        if (setpriority(PrioProcess, tid, nice) == 0)
        {
            return null;
        }

        int errno = Marshal.GetLastPInvokeError();
        return errno switch
        {
            1 or 13 => $"not permitted to set nice {nice} (EPERM/EACCES): run the engine with CAP_SYS_NICE "
                + "(systemd: AmbientCapabilities=CAP_SYS_NICE) or raise its RLIMIT_NICE (LimitNICE=)",
            _ => $"setpriority(nice {nice}) failed with errno {errno}",
        };
    }

    /// <summary>The calling thread's nice value, or null when not on Linux or it cannot be read.</summary>
    public static int? CurrentThreadNice()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        Marshal.SetLastPInvokeError(0);
        int value = getpriority(PrioProcess, gettid());
        return value == -1 && Marshal.GetLastPInvokeError() != 0 ? null : value;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setpriority(int which, int who, int prio);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getpriority(int which, int who);

    [LibraryImport("libc")]
    private static partial int gettid();
}
