using System.Net;

namespace CallTracking.Engine.Sip.Writing;

/// <summary>
/// The source address and port a request actually came from, for the top Via of its responses
/// (RFC 3261 §18.2.1 received, RFC 3581 §4 rport). <c>default</c> leaves the Via untouched.
/// </summary>
public readonly struct ViaReceived
{
    /// <param name="address">The packet's source address; an IPv4-mapped IPv6 address (dual-mode socket) is written as IPv4.</param>
    /// <param name="port">The packet's source port.</param>
    public ViaReceived(IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        Address = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        Port = port;
    }

    public ViaReceived(IPEndPoint source)
        : this((source ?? throw new ArgumentNullException(nameof(source))).Address, source.Port)
    {
    }

    public IPAddress? Address { get; }

    public int Port { get; }

    public bool IsEmpty => Address is null;

    /// <summary>Writes the address as the received parameter wants it (IPv6 without brackets, RFC 3261 §25.1 via-received).</summary>
    internal int FormatAddress(Span<byte> destination) =>
        Address is not null && Address.TryFormat(destination, out int written) ? written : 0;
}
