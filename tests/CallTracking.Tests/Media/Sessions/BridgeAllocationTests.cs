using CallTracking.Media.Codecs;
using CallTracking.Media.Sessions;
using CallTracking.Tests.Media.Recording;

namespace CallTracking.Tests.Media.Sessions;

/// <summary>
/// The bridged path — both legs' receive, decode, the hand-over, re-encode in the other codec, send, and the caller's
/// two-channel recording — allocates nothing per tick. Real loopback sockets; the test thread is the worker's thread.
/// </summary>
public sealed class BridgeAllocationTests
{
    [Fact]
    public void Bridged_call_allocates_nothing_per_tick()
    {
        using var folder = new TempFolder();
        using var rig = new BridgeRig(42200);
        var (a, phoneA) = rig.Open(AudioCodec.Pcmu);
        var (b, phoneB) = rig.Open(AudioCodec.Pcma, colocateWith: a);
        using var _ = phoneA;
        using var __ = phoneB;
        a.Start(BridgeRig.Options(phoneA, 101), folder.File("call.opus"));
        b.Start(BridgeRig.Options(phoneB, 96), null);
        a.Bridge(b);
        var worker = rig.WorkerOf(2);
        var intoA = BridgeSignals.Sweep(300, 3000, TimeSpan.FromSeconds(1));
        var intoB = BridgeSignals.Sweep(3000, 300, TimeSpan.FromSeconds(1));

        void SendAndTick(int tick)
        {
            var offset = tick % 50 * 160;
            phoneA.Send(intoA.AsSpan(offset, 160));
            phoneB.Send(intoB.AsSpan(offset, 160));
            worker.Tick(TimeProvider.System.GetTimestamp());
        }

        // Warm-up: latching, jitter buffer sizing, JIT, the first Ogg pages.
        for (var tick = 0; tick < 300; tick++)
        {
            SendAndTick(tick);
            if (tick % 50 == 0)
            {
                phoneA.Drain();
                phoneB.Drain();
            }
        }

        phoneA.Drain();
        phoneB.Drain();
        phoneA.Received.Clear();
        phoneB.Received.Clear();
        int toA = 0, toB = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var tick = 0; tick < 500; tick++)
        {
            SendAndTick(tick);
            toA += phoneA.Discard();
            toB += phoneB.Discard();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        for (var tick = 0; tick < 50; tick++)
        {
            SendAndTick(tick);
        }

        phoneA.Drain();
        phoneB.Drain();
        a.Stop();
        b.Stop();
        worker.Tick(TimeProvider.System.GetTimestamp());
        Assert.Equal(0, allocated);

        // …and the bridge really carried audio both ways.
        Assert.InRange(toB, 495, 500);
        Assert.InRange(toA, 495, 500);
        Assert.True(BridgeSignals.Rms(phoneB.Audio()) > 2000);
        Assert.True(BridgeSignals.Rms(phoneA.Audio()) > 2000);
        var stopped = rig.Events().Single(e => e.Kind == MediaEventKind.Stopped && e.SessionId == a.Id).Summary!;
        Assert.True(stopped.RecordingBytes > 20_000);
    }
}
