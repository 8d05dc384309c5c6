using System.Diagnostics.Metrics;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Transactions;

namespace CallTracking.Tests.Sip.Transactions;

public sealed class TransactionTableTests
{
    [Fact]
    public void Server_requests_match_by_branch_sent_by_and_method()
    {
        using var h = new TransactionHarness();
        h.CreateServerInvite(TransactionHarness.Udp, "z9hG4bK-abc", "host.example:5060");

        Assert.Equal(RequestDisposition.Absorbed, h.Receive(SipMethod.Invite, "z9hG4bK-abc", "host.example:5060"));
        Assert.Equal(RequestDisposition.Absorbed, h.Receive(SipMethod.Invite, "Z9HG4BK-ABC", "HOST.example:5060"));
        Assert.Equal(RequestDisposition.NoMatch, h.Receive(SipMethod.Invite, "z9hG4bK-abd", "host.example:5060"));
        Assert.Equal(RequestDisposition.NoMatch, h.Receive(SipMethod.Invite, "z9hG4bK-abc", "other.example:5060"));
        Assert.Equal(RequestDisposition.NoMatch, h.Receive(SipMethod.Options, "z9hG4bK-abc", "host.example:5060"));
        Assert.Equal(RequestDisposition.NoMatch, h.Receive(SipMethod.Cancel, "z9hG4bK-abc", "host.example:5060"));
    }

    [Fact]
    public void ACK_matches_the_INVITE_transaction()
    {
        using var h = new TransactionHarness();
        var tx = h.CreateServerInvite(TransactionHarness.Udp);
        tx.SendFinalResponse(404, TransactionHarness.Bytes("404"));

        Assert.Equal(RequestDisposition.NoMatch, h.Receive(SipMethod.Ack, sentBy: "elsewhere:5060"));
        Assert.Equal(TransactionState.Completed, tx.State);
        Assert.Equal(RequestDisposition.Absorbed, h.Receive(SipMethod.Ack));
        Assert.Equal(TransactionState.Confirmed, tx.State);
    }

    [Fact]
    public void CANCEL_is_its_own_transaction_and_finds_the_INVITE_it_cancels()
    {
        using var h = new TransactionHarness();
        var invite = h.CreateServerInvite(TransactionHarness.Udp);
        var cancelKey = TransactionKeyView.ForServer(
            TransactionHarness.Bytes("z9hG4bK-s1"), TransactionHarness.Bytes(TransactionHarness.SentBy), SipMethod.Cancel);

        Assert.Equal(RequestDisposition.NoMatch, h.Table.ReceiveRequest(cancelKey, null));
        var cancel = h.Table.CreateServerNonInvite(cancelKey, TransactionHarness.Udp, null, out var created);
        Assert.True(created);
        Assert.NotSame(invite, cancel);
        Assert.Equal(2, h.Table.ServerCount);

        Assert.True(h.Table.TryFindInviteForCancel(cancelKey, out var found));
        Assert.Same(invite, found);
        Assert.False(found.HasSentFinalResponse);
        cancel.SendFinalResponse(200, TransactionHarness.Bytes("200 canceled"));
        Assert.True(found.SendFinalResponse(487, TransactionHarness.Bytes("487")));
        Assert.True(found.HasSentFinalResponse);

        var otherCancel = TransactionKeyView.ForServer(
            TransactionHarness.Bytes("z9hG4bK-zzz"), TransactionHarness.Bytes(TransactionHarness.SentBy), SipMethod.Cancel);
        Assert.False(h.Table.TryFindInviteForCancel(otherCancel, out _));
    }

    [Fact]
    public void Creating_a_transaction_that_exists_absorbs_the_copy()
    {
        using var h = new TransactionHarness();
        var first = h.CreateServerNonInvite(TransactionHarness.Udp);
        first.SendProvisionalResponse(TransactionHarness.Bytes("100 Trying"));

        var second = h.Table.CreateServerNonInvite(
            TransactionKeyView.ForServer(TransactionHarness.Bytes("z9hG4bK-s2"), TransactionHarness.Bytes(TransactionHarness.SentBy), SipMethod.Options),
            TransactionHarness.Udp, null, out var created);

        Assert.False(created);
        Assert.Same(first, second);
        Assert.Equal(2, h.Sender.CountOf("100 Trying"));
        Assert.Equal(1, h.Table.ServerCount);
    }

    [Fact]
    public void Responses_match_client_transactions_by_branch_and_CSeq_method()
    {
        using var h = new TransactionHarness();
        h.StartInvite(TransactionHarness.Tcp, "z9hG4bK-c9");

        Assert.False(h.Respond(180, SipMethod.Invite, "z9hG4bK-other"));
        Assert.False(h.Respond(200, SipMethod.Cancel, "z9hG4bK-c9"));
        Assert.True(h.Respond(180, SipMethod.Invite, "z9hG4bK-c9"));
        Assert.Throws<InvalidOperationException>(() => h.StartInvite(TransactionHarness.Tcp, "z9hG4bK-c9"));
        Assert.Equal(1, h.Table.ClientCount);
    }

    [Fact]
    public void Terminated_transactions_are_removed()
    {
        using var h = new TransactionHarness();
        var server = h.CreateServerNonInvite(TransactionHarness.Udp);
        h.StartOptions(TransactionHarness.Udp);
        Assert.Equal(1, h.Table.ServerCount);
        Assert.Equal(1, h.Table.ClientCount);

        server.SendFinalResponse(200, TransactionHarness.Bytes("200 OK"));
        h.Respond(200, SipMethod.Options, "z9hG4bK-c2");
        h.AdvanceTo(32_000);

        Assert.Equal(0, h.Table.ServerCount);
        Assert.Equal(0, h.Table.ClientCount);
    }

    [Fact]
    public void Lookup_of_a_retransmission_allocates_nothing()
    {
        using var h = new TransactionHarness();
        h.CreateServerNonInvite(TransactionHarness.Udp);
        var branch = TransactionHarness.Bytes("z9hG4bK-s2");
        var sentBy = TransactionHarness.Bytes(TransactionHarness.SentBy);
        var key = TransactionKeyView.ForServer(branch, sentBy, SipMethod.Options);
        h.Table.ReceiveRequest(key, null);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            h.Table.ReceiveRequest(key, null);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void Metrics_count_active_transactions_retransmissions_and_timeouts()
    {
        using var h = new TransactionHarness();
        var totals = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == h.Meter)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
            totals[instrument.Name] = totals.GetValueOrDefault(instrument.Name) + value);
        var active = new Dictionary<string, int>();
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) =>
            active[(string)tags[0].Value!] = value);
        listener.Start();

        h.StartInvite(TransactionHarness.Udp);
        h.CreateServerNonInvite(TransactionHarness.Udp).SendFinalResponse(200, TransactionHarness.Bytes("200 OK"));
        h.Receive(SipMethod.Options, "z9hG4bK-s2");
        listener.RecordObservableInstruments();
        Assert.Equal(1, active["client"]);
        Assert.Equal(1, active["server"]);

        h.AdvanceTo(40_000);
        listener.RecordObservableInstruments();

        Assert.Equal(0, active["client"]);
        Assert.Equal(0, active["server"]);
        Assert.Equal(6 + 1, totals["calltracking.sip.transactions.retransmissions_sent"]);
        Assert.Equal(1, totals["calltracking.sip.transactions.retransmissions_absorbed"]);
        Assert.Equal(1, totals["calltracking.sip.transactions.timeouts"]);
    }

    [Fact]
    public void Concurrent_creation_lookup_and_termination_keep_the_table_consistent()
    {
        using var h = new TransactionHarness();
        const int count = 2000;
        var created = 0;

        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var branch = TransactionHarness.Bytes($"z9hG4bK-p{i % (count / 2)}");
            var sentBy = TransactionHarness.Bytes(TransactionHarness.SentBy);
            var key = TransactionKeyView.ForServer(branch, sentBy, SipMethod.Options);
            var remote = i % 3 == 0 ? TransactionHarness.Tcp : TransactionHarness.Udp;
            if (h.Table.ReceiveRequest(key, null) == RequestDisposition.NoMatch)
            {
                var tx = h.Table.CreateServerNonInvite(key, remote, null, out var isNew);
                if (isNew)
                {
                    Interlocked.Increment(ref created);
                }

                tx.SendFinalResponse(200, TransactionHarness.Bytes("200 OK"));
                h.Table.ReceiveRequest(key, null);
            }

            h.Table.StartClientNonInvite(TransactionHarness.Bytes($"z9hG4bK-q{i}"), SipMethod.Message, remote, TransactionHarness.Bytes("MESSAGE"), null);
            h.Table.ReceiveResponse(TransactionKeyView.ForClient(TransactionHarness.Bytes($"z9hG4bK-q{i}"), SipMethod.Message), 202, null);
        });

        Assert.InRange(created, count / 2, count);
        h.AdvanceTo(33_000);
        Assert.Equal(0, h.Table.ServerCount);
        Assert.Equal(0, h.Table.ClientCount);
        Assert.Empty(h.User.TimesOf("timeout"));
    }
}
