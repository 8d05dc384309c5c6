using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace CallTracking.Engine.Sip.Trunks;

/// <summary>
/// Answers "which trunk sent this?" from the source address of a request, by the
/// longest matching prefix over every trunk's allow-list (so a /32 for one trunk
/// wins over a /24 of another). IPv4-mapped IPv6 sources (<c>::ffff:a.b.c.d</c>,
/// what a dual-stack socket reports) match IPv4 blocks. Immutable and thread-safe;
/// <see cref="TryAdmit"/> allocates nothing.
/// </summary>
public sealed class TrunkAdmission
{
    private readonly V4Block[] _v4;
    private readonly V6Block[] _v6;

    public TrunkAdmission(IEnumerable<Trunk> trunks)
    {
        ArgumentNullException.ThrowIfNull(trunks);
        var v4 = new List<V4Block>();
        var v6 = new List<V6Block>();
        foreach (var trunk in trunks)
        {
            foreach (var network in trunk.Allow)
            {
                Add(network, trunk, v4, v6);
            }
        }

        // Longest prefix first; the sort is stable so equal prefixes keep configuration order.
        _v4 = [.. v4.OrderByDescending(b => b.PrefixLength)];
        _v6 = [.. v6.OrderByDescending(b => b.PrefixLength)];
    }

    /// <summary>Finds the trunk whose allow-list holds <paramref name="source"/> most specifically.</summary>
    public bool TryAdmit(IPAddress source, out Trunk trunk)
    {
        ArgumentNullException.ThrowIfNull(source);
        Span<byte> bytes = stackalloc byte[16];
        if (source.AddressFamily == AddressFamily.InterNetwork)
        {
            source.TryWriteBytes(bytes, out _);
            return TryMatch(BinaryPrimitives.ReadUInt32BigEndian(bytes), out trunk);
        }

        if (source.AddressFamily == AddressFamily.InterNetworkV6 && source.TryWriteBytes(bytes, out _))
        {
            var value = BinaryPrimitives.ReadUInt128BigEndian(bytes);
            if (IsV4Mapped(value))
            {
                return TryMatch((uint)value, out trunk);
            }

            foreach (ref readonly var block in _v6.AsSpan())
            {
                if ((value & block.Mask) == block.Network)
                {
                    trunk = block.Trunk;
                    return true;
                }
            }
        }

        trunk = null!;
        return false;
    }

    private bool TryMatch(uint value, out Trunk trunk)
    {
        foreach (ref readonly var block in _v4.AsSpan())
        {
            if ((value & block.Mask) == block.Network)
            {
                trunk = block.Trunk;
                return true;
            }
        }

        trunk = null!;
        return false;
    }

    private static void Add(IPNetwork network, Trunk trunk, List<V4Block> v4, List<V6Block> v6)
    {
        Span<byte> bytes = stackalloc byte[16];
        var prefix = network.PrefixLength;
        if (network.BaseAddress.AddressFamily == AddressFamily.InterNetwork)
        {
            network.BaseAddress.TryWriteBytes(bytes, out _);
            var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
            v4.Add(new V4Block(BinaryPrimitives.ReadUInt32BigEndian(bytes) & mask, mask, prefix, trunk));
            return;
        }

        network.BaseAddress.TryWriteBytes(bytes, out _);
        var value = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        if (prefix >= 96 && IsV4Mapped(value))
        {
            // A block written as ::ffff:a.b.c.d/n is an IPv4 block; sources are matched as IPv4.
            var v4Prefix = prefix - 96;
            var mask = v4Prefix == 0 ? 0u : uint.MaxValue << (32 - v4Prefix);
            v4.Add(new V4Block((uint)value & mask, mask, v4Prefix, trunk));
            return;
        }

        var v6Mask = prefix == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - prefix);
        v6.Add(new V6Block(value & v6Mask, v6Mask, prefix, trunk));
    }

    // RFC 4291 §2.5.5.2: ::ffff:0:0/96 carries an IPv4 address in the low 32 bits.
    private static bool IsV4Mapped(UInt128 value) => (value >> 32) == 0xFFFF;

    private readonly record struct V4Block(uint Network, uint Mask, int PrefixLength, Trunk Trunk);

    private readonly record struct V6Block(UInt128 Network, UInt128 Mask, int PrefixLength, Trunk Trunk);
}
