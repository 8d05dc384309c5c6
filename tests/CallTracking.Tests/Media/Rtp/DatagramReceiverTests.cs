using System.Net;
using System.Net.Sockets;
using CallTracking.Media.Rtp;

namespace CallTracking.Tests.Media.Rtp;

/// <summary>The media path's batched UDP receive (recvmmsg on Linux) on real loopback sockets.</summary>
public sealed class DatagramReceiverTests
{
    public static TheoryData<string> Families => new() { "ipv4", "ipv6" };

    [Theory]
    [MemberData(nameof(Families))]
    public void Takes_every_waiting_datagram_with_its_source_in_batches_and_then_says_none(string family)
    {
        var loopback = family == "ipv4" ? IPAddress.Loopback : IPAddress.IPv6Loopback;
        if (family == "ipv6" && !Socket.OSSupportsIPv6)
        {
            return;
        }

        using var receiving = Bound(loopback);
        using var first = Bound(loopback);
        using var second = Bound(loopback);
        var target = receiving.LocalEndPoint!;
        var receiver = new DatagramReceiver(receiving, capacity: 4);
        Assert.Equal(0, receiver.Receive());

        // Ten datagrams from two sources, each with its own length and content.
        var sent = new List<(EndPoint From, byte[] Bytes)>();
        for (int i = 0; i < 10; i++)
        {
            var from = i % 3 == 0 ? second : first;
            var bytes = Enumerable.Range(0, 20 + i * 7).Select(b => (byte)(b + i)).ToArray();
            from.SendTo(bytes, target);
            sent.Add((from.LocalEndPoint!, bytes));
        }

        WaitUntilReadable(receiving, sent.Sum(s => s.Bytes.Length));
        var source = new SocketAddress(receiving.AddressFamily);
        var received = new List<(EndPoint From, byte[] Bytes)>();
        var batches = new List<int>();
        int count;
        do
        {
            count = receiver.Receive();
            batches.Add(count);
            for (int i = 0; i < count; i++)
            {
                Assert.False(receiver.IsTruncated(i));
                receiver.CopySource(i, source);
                received.Add((new IPEndPoint(loopback, 0).Create(source), receiver.Datagram(i).ToArray()));
            }
        }
        while (count == receiver.Capacity);

        Assert.Equal([4, 4, 2], batches);
        Assert.Equal(sent.Count, received.Count);
        for (int i = 0; i < sent.Count; i++)
        {
            Assert.Equal(sent[i].From, received[i].From);
            Assert.Equal(sent[i].Bytes, received[i].Bytes);
        }

        // The copied source compares equal to the sender's own serialised address: what latching relies on.
        var expected = sent[^1].From.Serialize();
        Assert.True(source.Equals(expected));
        Assert.Equal(0, receiver.Receive());
    }

    [Fact]
    public void A_datagram_longer_than_the_buffer_is_reported_truncated_and_the_next_one_is_whole()
    {
        using var receiving = Bound(IPAddress.Loopback);
        using var sender = Bound(IPAddress.Loopback);
        var receiver = new DatagramReceiver(receiving);
        sender.SendTo(new byte[DatagramReceiver.MaxDatagram + 200], receiving.LocalEndPoint!);
        sender.SendTo(new byte[] { 1, 2, 3 }, receiving.LocalEndPoint!);
        WaitUntilReadable(receiving, 1);
        Thread.Sleep(50);

        int count = receiver.Receive();
        Assert.Equal(2, count);
        Assert.True(receiver.IsTruncated(0));
        Assert.False(receiver.IsTruncated(1));
        Assert.Equal([1, 2, 3], receiver.Datagram(1).ToArray());
    }

    [Fact]
    public void Receiving_allocates_nothing()
    {
        using var receiving = Bound(IPAddress.Loopback);
        using var sender = Bound(IPAddress.Loopback);
        var receiver = new DatagramReceiver(receiving);
        var source = new SocketAddress(receiving.AddressFamily);
        var target = receiving.LocalEndPoint!.Serialize();
        var packet = new byte[172];
        long sink = Drain(receiver, sender, target, packet, source, 50);

        long before = GC.GetAllocatedBytesForCurrentThread();
        sink += Drain(receiver, sender, target, packet, source, 500);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(sink >= 550 * packet.Length, $"received {sink} bytes");
    }

    private static long Drain(DatagramReceiver receiver, Socket sender, SocketAddress target, byte[] packet, SocketAddress source, int packets)
    {
        long bytes = 0;
        for (int p = 0; p < packets; p++)
        {
            // Loopback delivers within the send call, so the datagram is waiting when Receive looks.
            sender.SendTo(packet, SocketFlags.None, target);
            int count = receiver.Receive();
            for (int i = 0; i < count; i++)
            {
                receiver.CopySource(i, source);
                bytes += receiver.Datagram(i).Length;
            }
        }

        return bytes;
    }

    private static Socket Bound(IPAddress address)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { Blocking = false };
        socket.Bind(new IPEndPoint(address, 0));
        return socket;
    }

    private static void WaitUntilReadable(Socket socket, int bytes)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (socket.Available < Math.Min(bytes, 1) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(5);
        }

        Thread.Sleep(20);
    }
}
