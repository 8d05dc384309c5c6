using CallTracking.Media.Native;

namespace CallTracking.Tests.Media.Native;

/// <summary>Per-thread nice values (setpriority on the thread id), which the media workers use on Linux.</summary>
public sealed class ThreadSchedulingTests
{
    [Fact]
    public void A_thread_lowers_its_own_priority_and_only_its_own()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        int? before = ThreadScheduling.CurrentThreadNice();
        string? error = "not run";
        int? inside = null;
        var thread = new Thread(() =>
        {
            // Lowering is always allowed, with or without CAP_SYS_NICE.
            error = ThreadScheduling.TrySetCurrentThreadNice(Math.Min(19, (before ?? 0) + 5));
            inside = ThreadScheduling.CurrentThreadNice();
        });
        thread.Start();
        thread.Join();

        Assert.Null(error);
        Assert.Equal(Math.Min(19, (before ?? 0) + 5), inside);
        Assert.Equal(before, ThreadScheduling.CurrentThreadNice());
    }

    [Fact]
    public void Out_of_range_values_are_refused_before_the_system_call()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ThreadScheduling.TrySetCurrentThreadNice(-21));
        Assert.Throws<ArgumentOutOfRangeException>(() => ThreadScheduling.TrySetCurrentThreadNice(20));
    }
}
