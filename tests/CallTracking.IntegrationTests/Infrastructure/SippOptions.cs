using System.Net;

namespace CallTracking.IntegrationTests.Infrastructure;

/// <summary>One sipp run. Exactly one of <see cref="Scenario"/> and <see cref="BuiltIn"/>.</summary>
public sealed record SippOptions
{
    /// <summary>A file under the test output's Scenarios/ (e.g. "invite_expect_404.xml", "peers/uas_404.xml") or an absolute path (-sf).</summary>
    public string? Scenario { get; init; }

    /// <summary>A built-in scenario, "uac" or "uas" (-sn).</summary>
    public string? BuiltIn { get; init; }

    /// <summary>Where a UAC sends, "127.0.0.1:5060"; null for a UAS.</summary>
    public string? Remote { get; init; }

    /// <summary>-s: the user part of the Request-URI ([service]), e.g. a tracking number.</summary>
    public string? Service { get; init; }

    /// <summary>-i: the address sipp binds and puts in Via/Contact. Anything in 127/8 is loopback on Linux.</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Loopback;

    /// <summary>-p: sipp's SIP port; null picks a free one.</summary>
    public int? LocalPort { get; init; }

    public SippTransport Transport { get; init; } = SippTransport.Udp;

    /// <summary>-m: stop after this many calls.</summary>
    public int? Calls { get; init; }

    /// <summary>-r: calls per second.</summary>
    public int? Rate { get; init; }

    /// <summary>-l: at most this many calls at once.</summary>
    public int? Limit { get; init; }

    /// <summary>-timeout: sipp gives up (and fails, -timeout_error) after this long overall.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>-recv_timeout: a call fails when an expected message does not come within this.</summary>
    public TimeSpan RecvTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>-key NAME VALUE pairs for [NAME] keywords in the scenario.</summary>
    public IReadOnlyDictionary<string, string> Keys { get; init; } = new Dictionary<string, string>();

    /// <summary>Anything else, passed last.</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>A name for the trace files in the test folder.</summary>
    public string Name { get; init; } = "sipp";
}
