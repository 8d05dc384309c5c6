using System.Security.Cryptography;
using System.Text;

namespace CallTracking.Engine.Privacy;

/// <summary>
/// The master key's file (<c>Security:MasterKeyFile</c>, by default <c>{Data:Path}/keys/master.key</c>): three lines,
/// <c>calltracking-master-key v1</c>, the key's id, the key in base64. Created on first use with mode 0600 (owner
/// read/write only); a file others can read, or one that cannot be read, stops the engine with a message saying
/// what to do. During <c>keys rotate-master</c> the new key waits in <c>master.key.next</c> until every data key
/// is re-wrapped; both are loaded if a rotation was interrupted, so nothing becomes unreadable.
/// </summary>
public static class MasterKeyFile
{
    public const string ConfigurationKey = "Security:MasterKeyFile";
    private const string FirstLine = "calltracking-master-key v1";
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The configured path, or the default under the data folder.</summary>
    public static string PathFor(string? configured, string dataPath) =>
        string.IsNullOrWhiteSpace(configured) ? Path.Combine(Path.GetFullPath(dataPath), "keys", "master.key") : Path.GetFullPath(configured);

    /// <summary>The key ring at <paramref name="path"/>: creates the master key when there is none.</summary>
    /// <exception cref="MasterKeyException">The file is unreadable, malformed, or readable by others.</exception>
    public static MasterKeyRing LoadOrCreate(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            var created = Create(path);
            return new MasterKeyRing(created, Load(NextPath(path), optional: true));
        }

        return new MasterKeyRing(Load(path, optional: false)!, Load(NextPath(path), optional: true));
    }

    /// <summary>Where a rotation keeps its new key until the data keys are re-wrapped.</summary>
    public static string NextPath(string path) => path + ".next";

    /// <summary>Writes a new random key to <paramref name="path"/> (mode 0600), failing if the file exists.</summary>
    public static MasterKey Create(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var id = "mk-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var key = RandomNumberGenerator.GetBytes(MasterKey.KeySize);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = OwnerOnly;
            }

            using (var stream = new FileStream(path, options))
            {
                stream.Write(Encoding.ASCII.GetBytes($"{FirstLine}\n{id}\n{Convert.ToBase64String(key)}\n"));
                stream.Flush(flushToDisk: true);
            }

            return new MasterKey(id, key);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MasterKeyException($"Cannot create the master key file {path}: {e.Message}. Make its folder writable by the engine's user, or point {ConfigurationKey} elsewhere.", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static MasterKey? Load(string path, bool optional)
    {
        if (optional && !File.Exists(path))
        {
            return null;
        }

        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & ~OwnerOnly & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute)) != 0)
            {
                throw new MasterKeyException($"The master key file {path} is readable or writable by others (mode {Convert.ToString((int)mode, 8)}); run 'chmod 600 {path}' as its owner.");
            }
        }

        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MasterKeyException($"Cannot read the master key file {path}: {e.Message}. It must be readable by the engine's user (mode 0600).", e);
        }

        byte[] key;
        try
        {
            key = lines.Length >= 3 && lines[0] == FirstLine && lines[1].Length > 0 ? Convert.FromBase64String(lines[2]) : [];
        }
        catch (FormatException)
        {
            key = [];
        }

        if (key.Length != MasterKey.KeySize)
        {
            throw new MasterKeyException($"The master key file {path} is not a CallTracking master key ('{FirstLine}', an id, a 32-byte key in base64).");
        }

        try
        {
            return new MasterKey(lines[1], key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }
}
