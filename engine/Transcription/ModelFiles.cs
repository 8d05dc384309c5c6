using System.Security.Cryptography;

namespace CallTracking.Engine.Transcription;

/// <summary>Downloads and checks ggml model files against <see cref="PublishedModels"/>.</summary>
public static class ModelFiles
{
    /// <summary>Lower-case hex SHA-1 of a file.</summary>
    public static async Task<string> Sha1Async(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
#pragma warning disable CA5350 // SHA-1 is what whisper.cpp publishes for its models: it detects damaged downloads, it is not a signature.
        var hash = await SHA1.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
#pragma warning restore CA5350
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>
    /// Downloads <paramref name="model"/> from <paramref name="source"/> into <paramref name="directory"/>
    /// through a <c>.part</c> file, reporting progress, and keeps it only when its SHA-1 is the published one.
    /// </summary>
    /// <returns>The full path of the model file.</returns>
    /// <exception cref="HttpRequestException">The host cannot be reached or refused the request.</exception>
    /// <exception cref="InvalidDataException">The file arrived but its SHA-1 is not the published one (it was deleted).</exception>
    public static async Task<string> DownloadAsync(
        HttpClient http, PublishedModel model, string source, string directory, IProgress<(long Received, long? Total)> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(progress);
        Directory.CreateDirectory(directory);
        var target = Path.GetFullPath(Path.Combine(directory, model.FileName));
        var part = target + ".part";
        var url = new Uri($"{source.TrimEnd('/')}/{model.FileName}");

        try
        {
            using (var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false))
            {
                response.EnsureSuccessStatusCode();
                var total = response.Content.Headers.ContentLength;
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await using var file = new FileStream(part, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true);
                var buffer = new byte[1 << 16];
                long received = 0;
                int read;
                progress.Report((0, total));
                while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    received += read;
                    progress.Report((received, total));
                }
            }

            var sha1 = await Sha1Async(part, cancellationToken).ConfigureAwait(false);
            if (!string.Equals(sha1, model.Sha1, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"{url} arrived with SHA-1 {sha1}, but whisper.cpp publishes {model.FileName} with SHA-1 {model.Sha1}: the download was damaged or the host serves another file; nothing was kept");
            }

            File.Move(part, target, overwrite: true);
            return target;
        }
        finally
        {
            File.Delete(part);
        }
    }
}
