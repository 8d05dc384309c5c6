using System.Globalization;
using System.Net;
using CallTracking.Engine.Sip.Outbound;
using CallTracking.Engine.Sip.Transport;
using CallTracking.IntegrationTests.Infrastructure;

namespace CallTracking.IntegrationTests.Sip.Outbound;

/// <summary>
/// The outbound leg (UAC) in-process against sipp as the business's trunk: answer, ACK and BYE; digest challenges;
/// fail-over across trunks; CANCEL while ringing; a hold re-INVITE and BYE from the far end.
/// </summary>
[Collection(SippCollection.Name)]
public sealed class OutboundLegTests
{
    private const string Destination = "+15551230001";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(8);

    private static SippOptions Peer(string name, string? scenario = null, int? port = null) => new()
    {
        Name = name,
        Scenario = scenario,
        BuiltIn = scenario is null ? "uas" : null,
        LocalPort = port,
        Calls = 1,
        Timeout = TimeSpan.FromSeconds(15),
        RecvTimeout = TimeSpan.FromSeconds(8),
    };

    private static OutboundTrunk TrunkAt(Sipp sipp, string name = "business", string? username = null, string? password = null)
        => new(name, "sip:" + sipp.Address, SipTransportKind.Udp, username, password);

    private static DialRequest Request(params OutboundTrunk[] trunks) => new(Destination, trunks, "+15557770000", OutboundStack.Offer())
    {
        CallerDisplayName = "Caller",
        TrackingNumber = "+15559990000",
        RingTimeout = TimeSpan.FromSeconds(8),
    };

    [Fact]
    public async Task Answered_leg_is_acked_and_our_hangup_sends_bye()
    {
        var directory = TestDirectory.Create();
        await using var sipp = await Sipp.StartAsync(directory, Peer("uas"));
        await using var stack = OutboundStack.Start();
        var observer = new RecordingLegObserver();

        var leg = stack.Dialer.Dial(Request(TrunkAt(sipp)), observer);
        var answer = await observer.Answered.WaitAsync(Wait);
        Assert.Contains("m=audio", answer, StringComparison.Ordinal);
        Assert.Equal(OutboundLegState.Answered, leg.State);
        Assert.Equal(1, stack.Dialer.ActiveLegs);

        leg.Hangup();
        Assert.False(await observer.Ended.WaitAsync(Wait));
        var result = await sipp.WaitForExitAsync(Wait);
        Assert.True(result.AllSucceeded, result.Describe());
        var invite = result.Messages.First(m => m.StartLine.StartsWith("INVITE", StringComparison.Ordinal));
        Assert.Contains("Diversion: <sip:+15559990000@127.0.0.1>;reason=unconditional", invite.Text, StringComparison.Ordinal);
        Assert.Contains("From: \"Caller\" <sip:+15557770000@127.0.0.1>;tag=", invite.Text, StringComparison.Ordinal);
        Assert.Contains($"INVITE sip:{Destination}@{sipp.Address} SIP/2.0", invite.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Supported: timer", invite.Text, StringComparison.Ordinal);
        Assert.Equal(0, stack.Dialer.ActiveLegs);
        Assert.Equal("provisional 180, answered, ended remote=False", observer.ToString());
    }

    [Fact]
    public async Task Www_authenticate_challenge_is_answered_with_a_digest_sipp_verifies()
    {
        var directory = TestDirectory.Create();
        await using var sipp = await Sipp.StartAsync(directory, Peer("uas-401", "peers/uas_401_verifyauth.xml"));
        await using var stack = OutboundStack.Start();
        var observer = new RecordingLegObserver();

        var leg = stack.Dialer.Dial(Request(TrunkAt(sipp, username: "u", password: "p")), observer);
        await observer.Answered.WaitAsync(Wait);
        leg.Hangup();
        await observer.Ended.WaitAsync(Wait);
        var result = await sipp.WaitForExitAsync(Wait);
        Assert.True(result.AllSucceeded, result.Describe());

        // RFC 3261 §22.2: the retry is the same call (Call-ID) with the next CSeq.
        var invites = result.Messages.Where(m => m.StartLine.StartsWith("INVITE", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, invites.Length);
        Assert.Equal(Header(invites[0].Text, "Call-ID"), Header(invites[1].Text, "Call-ID"));
        Assert.Equal(CSeq(invites[0].Text) + 1, CSeq(invites[1].Text));
    }

    [Fact]
    public async Task Proxy_authenticate_challenge_is_answered_with_proxy_authorization()
    {
        var directory = TestDirectory.Create();
        await using var sipp = await Sipp.StartAsync(directory, Peer("uas-407", "peers/uas_407_proxy_auth.xml"));
        await using var stack = OutboundStack.Start();
        var observer = new RecordingLegObserver();

        var leg = stack.Dialer.Dial(Request(TrunkAt(sipp, username: "u", password: "p")), observer);
        await observer.Answered.WaitAsync(Wait);
        leg.Hangup();
        await observer.Ended.WaitAsync(Wait);
        var result = await sipp.WaitForExitAsync(Wait);
        Assert.True(result.AllSucceeded, result.Describe());
    }

    [Fact]
    public async Task Challenge_without_credentials_fails_with_its_status()
    {
        var directory = TestDirectory.Create();
        await using var sipp = await Sipp.StartAsync(directory, Peer("uas-407", "peers/uas_407_proxy_auth.xml"));
        await using var stack = OutboundStack.Start();
        var observer = new RecordingLegObserver();

        stack.Dialer.Dial(Request(TrunkAt(sipp)), observer);
        Assert.Equal(407, (await observer.Failed.WaitAsync(Wait)).Status);
    }

    [Fact]
    public async Task Service_unavailable_fails_over_to_the_next_trunk()
    {
        var directory = TestDirectory.Create();
        await using var unavailable = await Sipp.StartAsync(directory, Peer("uas-503", "peers/uas_503.xml"));
        await using var business = await Sipp.StartAsync(directory, Peer("uas"));
        await using var stack = OutboundStack.Start();
        var observer = new RecordingLegObserver();
        var second = TrunkAt(business, "second");

        var leg = stack.Dialer.Dial(Request(TrunkAt(unavailable, "first"), second), observer);
        await observer.Answered.WaitAsync(Wait);
        Assert.Same(second, leg.Trunk);
        leg.Hangup();
        await observer.Ended.WaitAsync(Wait);

        var first = await unavailable.WaitForExitAsync(Wait);
        Assert.True(first.AllSucceeded, first.Describe());
        var answered = await business.WaitForExitAsync(Wait);
        Assert.True(answered.AllSucceeded, answered.Describe());
    }

    [Fact]
    public async Task Busy_is_final_and_does_not_fail_over()
    {
        var directory = TestDirectory.Create();
        await using var busy = await Sipp.StartAsync(directory, Peer("uas-486", "peers/uas_486.xml"));
        await using var stack = OutboundStack.Start();
        var observer = new RecordingLegObserver();
        // A second trunk where nothing listens: trying it would end in a time-out (408), not 486.
        var silent = new OutboundTrunk("silent", "sip:127.0.0.1:" + FreePorts.Next().ToString(CultureInfo.InvariantCulture));

        var started = DateTime.UtcNow;
        stack.Dialer.Dial(Request(TrunkAt(busy, "first"), silent), observer);
        var (status, _) = await observer.Failed.WaitAsync(Wait);
        Assert.Equal(486, status);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(2), "486 should end the leg at once");
        var result = await busy.WaitForExitAsync(Wait);
        Assert.True(result.AllSucceeded, result.Describe());
    }

    [Fact]
    public async Task Cancel_while_ringing_sends_cancel_and_acks_the_487()
    {
        var directory = TestDirectory.Create();
        await using var ringing = await Sipp.StartAsync(directory, Peer("uas-ringing", "peers/uas_ringing_until_cancel.xml"));
        await using var stack = OutboundStack.Start();
        var observer = new RecordingLegObserver();

        var leg = stack.Dialer.Dial(Request(TrunkAt(ringing)), observer);
        Assert.Equal(180, await observer.FirstProvisional.WaitAsync(Wait));
        leg.Cancel();
        Assert.Equal(487, (await observer.Failed.WaitAsync(Wait)).Status);
        var result = await ringing.WaitForExitAsync(Wait);
        Assert.True(result.AllSucceeded, result.Describe());
        Assert.Contains(result.Messages, m => m.StartLine.StartsWith("CANCEL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ring_timeout_cancels_and_reports_no_answer()
    {
        var directory = TestDirectory.Create();
        await using var ringing = await Sipp.StartAsync(directory, Peer("uas-ringing", "peers/uas_ringing_until_cancel.xml"));
        await using var stack = OutboundStack.Start();
        var observer = new RecordingLegObserver();

        stack.Dialer.Dial(Request(TrunkAt(ringing)) with { RingTimeout = TimeSpan.FromSeconds(1) }, observer);
        Assert.Equal(408, (await observer.Failed.WaitAsync(Wait)).Status);
        var result = await ringing.WaitForExitAsync(Wait);
        Assert.True(result.AllSucceeded, result.Describe());
    }

    [Fact]
    public async Task Hold_from_the_business_is_answered_recvonly_and_its_bye_ends_the_leg()
    {
        var directory = TestDirectory.Create();
        await using var sipp = await Sipp.StartAsync(directory, Peer("uas-hold", "peers/uas_answer_then_hold.xml"));
        await using var stack = OutboundStack.Start();
        var observer = new RecordingLegObserver();

        stack.Dialer.Dial(Request(TrunkAt(sipp)), observer);
        await observer.Answered.WaitAsync(Wait);
        Assert.Contains("a=sendonly", await observer.Reinvited.WaitAsync(Wait), StringComparison.Ordinal);
        Assert.True(await observer.Ended.WaitAsync(Wait));
        var result = await sipp.WaitForExitAsync(Wait);
        Assert.True(result.AllSucceeded, result.Describe());
        Assert.Equal(0, stack.Dialer.ActiveLegs);
    }

    [Fact]
    public async Task Hold_relayed_to_the_business_is_a_reinvite_whose_answer_is_reported()
    {
        var directory = TestDirectory.Create();
        await using var sipp = await Sipp.StartAsync(directory, Peer("uas-expect-hold", "peers/uas_answer_expect_hold.xml"));
        await using var stack = OutboundStack.Start();
        var observer = new RecordingLegObserver();

        var leg = stack.Dialer.Dial(Request(TrunkAt(sipp)), observer);
        await observer.Answered.WaitAsync(Wait);
        var hold = System.Text.Encoding.ASCII.GetString(OutboundStack.Offer().Span).Replace("a=sendrecv", "a=sendonly", StringComparison.Ordinal);
        Assert.True(leg.Reinvite(System.Text.Encoding.ASCII.GetBytes(hold)));
        var (status, sdp) = await observer.ReinviteAnswered.WaitAsync(Wait);
        Assert.Equal(200, status);
        Assert.Contains("a=recvonly", sdp, StringComparison.Ordinal);

        leg.Hangup();
        await observer.Ended.WaitAsync(Wait);
        var result = await sipp.WaitForExitAsync(Wait);
        Assert.True(result.AllSucceeded, result.Describe());
        var acks = result.Messages.Count(m => m.Received && m.StartLine.StartsWith("ACK", StringComparison.Ordinal));
        Assert.Equal(2, acks);
    }

    [Fact]
    public async Task Srv_lookup_reaches_the_lowest_priority_target()
    {
        var directory = TestDirectory.Create();
        await using var first = await Sipp.StartAsync(directory, Peer("uas-srv1"));
        var secondPort = FreePorts.Next();
        await using var dns = await Dnsmasq.StartAsync(directory, SrvRecords(first.LocalPort, secondPort));
        await using var stack = OutboundStack.Start([new IPEndPoint(IPAddress.Loopback, dns.Port)]);

        var resolution = await stack.Resolver.ResolveAsync("sip:office.test", SipTransportKind.Udp);
        Assert.True(resolution.Success, resolution.Error + "\n" + dns.Output);
        Assert.Equal([first.LocalPort, secondPort], resolution.Targets.Select(t => t.Remote.EndPoint.Port));

        var observer = new RecordingLegObserver();
        var leg = stack.Dialer.Dial(new DialRequest("sip:office.test", [], "+15557770000", OutboundStack.Offer()), observer);
        await observer.Answered.WaitAsync(Wait);
        Assert.Equal(first.LocalPort, leg.Target!.Value.EndPoint.Port);
        leg.Hangup();
        await observer.Ended.WaitAsync(Wait);
        var result = await first.WaitForExitAsync(Wait);
        Assert.True(result.AllSucceeded, result.Describe());
    }

    [Fact]
    public async Task Srv_target_that_does_not_answer_fails_over_to_the_next()
    {
        var directory = TestDirectory.Create();
        await using var second = await Sipp.StartAsync(directory, Peer("uas-srv2"));
        var silentPort = FreePorts.Next();
        await using var dns = await Dnsmasq.StartAsync(directory, SrvRecords(silentPort, second.LocalPort));
        await using var stack = OutboundStack.Start([new IPEndPoint(IPAddress.Loopback, dns.Port)]);
        var observer = new RecordingLegObserver();

        // Timer B with T1 = 50 ms: 3.2 s on the silent target, then the second.
        var leg = stack.Dialer.Dial(new DialRequest("sip:office.test", [], "+15557770000", OutboundStack.Offer()), observer);
        await observer.Answered.WaitAsync(Wait);
        Assert.Equal(second.LocalPort, leg.Target!.Value.EndPoint.Port);
        leg.Hangup();
        await observer.Ended.WaitAsync(Wait);
        var result = await second.WaitForExitAsync(Wait);
        Assert.True(result.AllSucceeded, result.Describe());
    }

    [Fact]
    public async Task Options_pings_mark_a_silent_trunk_down_after_three_misses_and_up_when_it_answers()
    {
        var directory = TestDirectory.Create();
        var port = FreePorts.Next();
        await using var stack = OutboundStack.Start();
        var trunk = new OutboundTrunk("business", "sip:127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture));
        await using var monitor = new TrunkMonitor(stack.Dialer, [trunk], TimeSpan.FromMilliseconds(300), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<TrunkMonitor>.Instance);

        await monitor.PingAllAsync();
        await monitor.PingAllAsync();
        Assert.Equal(TrunkState.Up, trunk.State);
        await monitor.PingAllAsync();
        Assert.Equal(TrunkState.Down, trunk.State);

        // No -m: a retransmission of a missed ping may reach sipp first, and with -m 1 sipp would answer that and
        // exit before the harness saw it listening.
        await using var sipp = await Sipp.StartAsync(directory, Peer("uas-options", "peers/uas_options_200.xml", port) with { Calls = null });
        await monitor.PingAllAsync();
        Assert.Equal(TrunkState.Up, trunk.State);
        var result = await sipp.StopAsync();
        Assert.True(result.SuccessfulCalls >= 1 && result.FailedCalls == 0, result.Describe());
    }

    private static string[] SrvRecords(int port1, int port2) =>
    [
        $"--srv-host=_sip._udp.office.test,sip1.office.test,{port1},10,100",
        $"--srv-host=_sip._udp.office.test,sip2.office.test,{port2},20,100",
        "--address=/sip1.office.test/127.0.0.1",
        "--address=/sip2.office.test/127.0.0.1",
    ];

    private static string Header(string message, string name)
        => message.Split('\n').Select(l => l.TrimEnd('\r')).First(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))[(name.Length + 1)..].Trim();

    private static int CSeq(string message) => int.Parse(Header(message, "CSeq").Split(' ')[0], CultureInfo.InvariantCulture);
}
