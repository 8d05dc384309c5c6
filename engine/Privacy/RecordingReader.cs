using CallTracking.Media.Recording.Encryption;

namespace CallTracking.Engine.Privacy;

/// <summary>
/// Opens a recording file for reading as plain Ogg Opus, whatever its format: an encrypted file (its data key
/// fetched and unwrapped) is decrypted on the fly and seekable; a plaintext file from before encryption is read
/// as it is. Everything that reads a recording goes through here: the REST download, signed links, the
/// transcription worker, exports.
/// </summary>
public sealed class RecordingReader
{
    private readonly DataKeyStore _keys;

    public RecordingReader(DataKeyStore keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _keys = keys;
    }

    /// <summary>The plaintext stream; null when the file is gone or its key was destroyed (shredded).</summary>
    public async Task<Stream?> OpenAsync(string path, CancellationToken cancellationToken)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 16 * 1024);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        try
        {
            if (DecryptingRecordingStream.ReadKeyId(file) is not { } keyId)
            {
                return file;
            }

            var key = await _keys.GetAsync(keyId, cancellationToken).ConfigureAwait(false);
            if (key is null)
            {
                await file.DisposeAsync().ConfigureAwait(false);
                return null;
            }

            try
            {
                return new DecryptingRecordingStream(file, key);
            }
            finally
            {
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(key);
            }
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The whole recording decrypted in memory (transcription, exports); null as for <see cref="OpenAsync"/>.</summary>
    public async Task<byte[]?> ReadAllAsync(string path, CancellationToken cancellationToken)
    {
        var stream = await OpenAsync(path, cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            return null;
        }

        await using (stream.ConfigureAwait(false))
        {
            using var memory = new MemoryStream();
            await stream.CopyToAsync(memory, cancellationToken).ConfigureAwait(false);
            return memory.ToArray();
        }
    }

    /// <summary>The data key id an encrypted recording names; null for a plain file or no file.</summary>
    public static Guid? KeyIdOf(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return DecryptingRecordingStream.ReadKeyId(file);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}
