using System.Security.Cryptography;

namespace CallTracking.Engine.Privacy;

/// <summary>
/// The master key new data keys are wrapped with, and the one a rotation left half-done (if any): unwrapping picks
/// the key by the id stored beside each wrapped key.
/// </summary>
public sealed class MasterKeyRing : IDisposable
{
    public MasterKeyRing(MasterKey current, MasterKey? next = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        Current = current;
        Next = next;
    }

    public MasterKey Current { get; }

    /// <summary>The key an interrupted rotation was moving to.</summary>
    public MasterKey? Next { get; }

    /// <exception cref="CryptographicException">No key here has id <paramref name="masterKeyId"/>, or the wrap was altered.</exception>
    public byte[] Unwrap(string masterKeyId, Guid keyId, ReadOnlySpan<byte> wrapped)
    {
        if (masterKeyId == Current.Id)
        {
            return Current.Unwrap(keyId, wrapped);
        }

        if (Next is not null && masterKeyId == Next.Id)
        {
            return Next.Unwrap(keyId, wrapped);
        }

        throw new CryptographicException($"Data key {keyId} was wrapped by master key {masterKeyId}, which this engine does not hold.");
    }

    public void Dispose()
    {
        Current.Dispose();
        Next?.Dispose();
    }
}
