using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CallTracking.Media.Rtp;

/// <summary>
/// Takes every datagram waiting on a non-blocking UDP socket in as few system calls as it can, for the media
/// workers' 20 ms drain. On Linux one <c>recvmmsg(MSG_DONTWAIT)</c> returns up to <see cref="BatchSize"/> datagrams
/// with their sources, and says "none" by itself: a tick with the usual one packet costs one system call, where
/// <see cref="Socket.Available"/> (an <c>ioctl</c>) before and after <see cref="Socket.ReceiveFrom(Span{byte}, SocketFlags, SocketAddress)"/>
/// cost three. Elsewhere it falls back to exactly that. The buffers are pinned once per socket: nothing is allocated
/// per datagram. Not thread-safe: one worker drains one socket.
/// </summary>
public sealed unsafe partial class DatagramReceiver
{
    /// <summary>Datagrams one <see cref="Receive"/> returns at most by default (a 20 ms tick usually finds one).</summary>
    public const int BatchSize = 8;

    /// <summary>The largest datagram kept whole; longer ones are reported as truncated.</summary>
    public const int MaxDatagram = 1500;

    private const int MsgDontWait = 0x40;
    private const int MsgTrunc = 0x20;
    private const int AddressCapacity = 128; // sizeof(struct sockaddr_storage)

    private readonly Socket _socket;
    private readonly bool _batched;
    private readonly byte[] _payloads;
    private readonly byte[] _addresses;
    private readonly MMsgHdr[] _headers;
    private readonly IoVec[] _vectors;
    private readonly int[] _lengths;
    private readonly bool[] _truncated;

    private readonly SocketAddress[]? _fallbackFrom;

    private readonly int _capacity;

    /// <param name="socket">A non-blocking UDP socket.</param>
    /// <param name="capacity">Datagrams one <see cref="Receive"/> takes at most (1-<see cref="BatchSize"/>).</param>
    public DatagramReceiver(Socket socket, int capacity = BatchSize)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, BatchSize);
        _socket = socket;
        _capacity = capacity;
        _lengths = new int[capacity];
        _truncated = new bool[capacity];
        _batched = OperatingSystem.IsLinux();
        _payloads = GC.AllocateUninitializedArray<byte>(capacity * MaxDatagram, pinned: true);
        _addresses = GC.AllocateArray<byte>(capacity * AddressCapacity, pinned: true);
        _headers = GC.AllocateArray<MMsgHdr>(capacity, pinned: true);
        _vectors = GC.AllocateArray<IoVec>(capacity, pinned: true);
        if (_batched)
        {
            for (int i = 0; i < capacity; i++)
            {
                _vectors[i].Base = Pointer(_payloads, i * MaxDatagram);
                _vectors[i].Length = MaxDatagram;
                _headers[i].Header.Name = Pointer(_addresses, i * AddressCapacity);
                _headers[i].Header.Vectors = (IoVec*)Unsafe.AsPointer(ref _vectors[i]);
                _headers[i].Header.VectorCount = 1;
            }
        }
        else
        {
            _fallbackFrom = new SocketAddress[capacity];
            for (int i = 0; i < capacity; i++)
            {
                _fallbackFrom[i] = new SocketAddress(socket.AddressFamily);
            }
        }
    }

    /// <summary>Datagrams one <see cref="Receive"/> takes at most: fewer means the socket was empty.</summary>
    public int Capacity => _capacity;

    /// <summary>
    /// Takes up to <see cref="Capacity"/> waiting datagrams; 0 when none is waiting (or the socket reported an
    /// error, such as an ICMP port unreachable for an earlier send: the next call goes on). Read them with
    /// <see cref="Datagram"/> and <see cref="CopySource"/> before the next call. Fewer than <see cref="Capacity"/>
    /// means the socket is empty for now.
    /// </summary>
    public int Receive()
    {
        if (!_batched)
        {
            int count = 0;
            while (count < _capacity && ReceiveOne(count))
            {
                count++;
            }

            return count;
        }

        for (int i = 0; i < _capacity; i++)
        {
            _headers[i].Header.NameLength = AddressCapacity;
            _headers[i].Header.Flags = 0;
            _headers[i].Length = 0;
        }

        bool added = false;
        var handle = _socket.SafeHandle;
        try
        {
            handle.DangerousAddRef(ref added);
            int received = recvmmsg((int)handle.DangerousGetHandle(), (MMsgHdr*)Unsafe.AsPointer(ref _headers[0]), (uint)_capacity, MsgDontWait, null);
            if (received <= 0)
            {
                // EAGAIN: nothing waiting. Anything else (ECONNREFUSED after an ICMP error) ends this drain; the
                // kernel clears a pending error once reported, so the next tick reads on.
                return 0;
            }

            for (int i = 0; i < received; i++)
            {
                _lengths[i] = (int)Math.Min(_headers[i].Length, MaxDatagram);
                _truncated[i] = (_headers[i].Header.Flags & MsgTrunc) != 0;
            }

            return received;
        }
        catch (ObjectDisposedException)
        {
            return 0;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>Datagram <paramref name="index"/> of the last <see cref="Receive"/>.</summary>
    public Span<byte> Datagram(int index) => _payloads.AsSpan(index * MaxDatagram, _lengths[index]);

    /// <summary>True when datagram <paramref name="index"/> was longer than <see cref="MaxDatagram"/> and was cut.</summary>
    public bool IsTruncated(int index) => _truncated[index];

    /// <summary>Copies the source of datagram <paramref name="index"/> into <paramref name="address"/> (sized for the
    /// socket's family).</summary>
    public void CopySource(int index, SocketAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!_batched)
        {
            var from = _fallbackFrom![index];
            from.Buffer.Span[..from.Size].CopyTo(address.Buffer.Span);
            address.Size = from.Size;
            return;
        }

        // On Linux a SocketAddress holds the native sockaddr, which is what recvmmsg wrote.
        int length = (int)Math.Min(_headers[index].Header.NameLength, (uint)Math.Min(AddressCapacity, address.Buffer.Length));
        _addresses.AsSpan(index * AddressCapacity, length).CopyTo(address.Buffer.Span);
        address.Size = length;
    }

    private bool ReceiveOne(int slot)
    {
        if (_socket.Available <= 0)
        {
            return false;
        }

        try
        {
            _lengths[slot] = _socket.ReceiveFrom(_payloads.AsSpan(slot * MaxDatagram, MaxDatagram), SocketFlags.None, _fallbackFrom![slot]);
            _truncated[slot] = false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.MessageSize)
        {
            _lengths[slot] = MaxDatagram;
            _truncated[slot] = true;
        }
        catch (SocketException)
        {
            return false;
        }

        return true;
    }

    private static void* Pointer(byte[] pinned, int offset) => Unsafe.AsPointer(ref pinned[offset]);

    // struct iovec, struct msghdr and struct mmsghdr as the LP64 Linux ABIs (x86-64, arm64) lay them out.
    [StructLayout(LayoutKind.Sequential)]
    private struct IoVec
    {
        public void* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MsgHdr
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Vectors;
        public nuint VectorCount;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MMsgHdr
    {
        public MsgHdr Header;
        public uint Length;
    }

    [LibraryImport("libc", EntryPoint = "recvmmsg")]
    private static partial int recvmmsg(int fd, MMsgHdr* messages, uint count, int flags, void* timeout);
}
