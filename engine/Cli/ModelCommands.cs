using System.Buffers.Binary;
using System.CommandLine;
using System.Globalization;
using CallTracking.Engine.Transcription;

namespace CallTracking.Engine.Cli;

/// <summary>
/// <c>calltracking models list | download NAME | verify FILE</c>: whisper.cpp's published
/// ggml models, fetched from its model host with a progress bar on stderr and a SHA-1 check,
/// or — offline — a message saying where to put the file.
/// </summary>
internal static class ModelCommands
{
    private const string Name = "calltracking";
    private const string DefaultDirectory = "models";

    public static Command Create(CliEnvironment environment)
    {
        var models = new Command("models", "Whisper models for transcription (Transcription:Model): list, download, verify.");

        var listDirectory = DirectoryOption();
        var list = new Command("list", "List whisper.cpp's published ggml models with size and SHA-1, marking those already in --dir.");
        list.Options.Add(listDirectory);
        list.SetAction(parse => List(parse.InvocationConfiguration.Output, Resolve(environment, parse.GetValue(listDirectory))));

        var name = new Argument<string>("NAME") { Description = "A model name as 'models list' shows it, e.g. base.en." };
        var downloadDirectory = DirectoryOption();
        var from = new Option<string>("--from")
        {
            Description = $"Where the model files are (a mirror): URL/ggml-NAME.bin is fetched. Default: {PublishedModels.DefaultSource}",
            HelpName = "URL",
            DefaultValueFactory = _ => PublishedModels.DefaultSource,
        };
        var download = new Command("download", """
            Download a published model into --dir (default ./models) and check its SHA-1; prints the file's
            path on stdout, progress on stderr. Exit codes: 0 downloaded, 2 unknown model, 65 (EX_DATAERR)
            the file arrived with the wrong checksum (nothing is kept), 69 (EX_UNAVAILABLE) the host cannot
            be reached: the message says where to put a file fetched elsewhere.
            """);
        download.Arguments.Add(name);
        download.Options.Add(downloadDirectory);
        download.Options.Add(from);
        download.SetAction((parse, ct) => DownloadAsync(
            parse.GetValue(name)!, Resolve(environment, parse.GetValue(downloadDirectory)), parse.GetValue(from)!,
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, ct));

        var file = new Argument<string>("FILE") { Description = "A model file, e.g. models/ggml-base.en.bin." };
        var verify = new Command("verify", """
            Check a model file: a ggml file whose SHA-1 is one of whisper.cpp's published models.
            Exit codes: 0 it is, 65 (EX_DATAERR) it is not (missing, not ggml, damaged, or unknown).
            """);
        verify.Arguments.Add(file);
        verify.SetAction((parse, ct) => VerifyAsync(
            Path.GetFullPath(parse.GetValue(file)!, environment.WorkingDirectory), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, ct));

        models.Subcommands.Add(list);
        models.Subcommands.Add(download);
        models.Subcommands.Add(verify);
        return models;
    }

    private static Option<string> DirectoryOption() => new("--dir")
    {
        Description = $"The folder of model files (default ./{DefaultDirectory}).",
        HelpName = "DIR",
    };

    private static string Resolve(CliEnvironment environment, string? directory) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(directory) ? DefaultDirectory : directory, environment.WorkingDirectory);

    private static int List(TextWriter output, string directory)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"NAME",-20} {"SIZE",-8} {"SHA-1",-40}"));
        foreach (var model in PublishedModels.All)
        {
            var here = File.Exists(Path.Combine(directory, model.FileName)) ? "  downloaded" : "";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{model.Name,-20} {model.Size,-8} {model.Sha1}{here}"));
        }

        output.WriteLine($"Download one with '{Name} models download NAME' into {directory}, then set Transcription:Model to its file.");
        return CliExitCodes.Ok;
    }

    private static async Task<int> DownloadAsync(string name, string directory, string source, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var model = PublishedModels.Find(name);
        if (model is null)
        {
            await error.WriteLineAsync($"{Name}: no published model is called '{name}'. See '{Name} models list'.").ConfigureAwait(false);
            return CliExitCodes.Usage;
        }

        var target = Path.Combine(directory, model.FileName);
        var url = $"{source.TrimEnd('/')}/{model.FileName}";
        using var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(20) };
        using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        await error.WriteLineAsync($"Downloading {url} ({model.Size}) to {target}").ConfigureAwait(false);
        try
        {
            var path = await ModelFiles.DownloadAsync(http, model, source, directory, new ProgressBar(error), cancellationToken).ConfigureAwait(false);
            await error.WriteLineAsync($"SHA-1 {model.Sha1} matches whisper.cpp's published {model.FileName}. Set Transcription:Model={path}").ConfigureAwait(false);
            await output.WriteLineAsync(path).ConfigureAwait(false);
            return CliExitCodes.Ok;
        }
        catch (HttpRequestException e)
        {
            await error.WriteLineAsync().ConfigureAwait(false);
            await error.WriteLineAsync(
                $"{Name}: cannot download {url}: {e.Message}. If this machine is offline, fetch that URL on one that is not, " +
                $"copy the file to {target}, check it with '{Name} models verify {target}', and set Transcription:Model={target}.").ConfigureAwait(false);
            return CliExitCodes.StartFailed;
        }
        catch (InvalidDataException e)
        {
            await error.WriteLineAsync().ConfigureAwait(false);
            await error.WriteLineAsync($"{Name}: {e.Message}.").ConfigureAwait(false);
            return CliExitCodes.DataError;
        }
    }

    private static async Task<int> VerifyAsync(string path, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            await error.WriteLineAsync($"{Name}: {path} does not exist.").ConfigureAwait(false);
            return CliExitCodes.DataError;
        }

        var magic = new byte[4];
        await using (var stream = File.OpenRead(path))
        {
            if (await stream.ReadAtLeastAsync(magic, magic.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) < magic.Length
                || BinaryPrimitives.ReadUInt32LittleEndian(magic) != Media.Transcription.WhisperModel.GgmlMagic)
            {
                await error.WriteLineAsync($"{Name}: {path} is not a ggml model (it does not start with the ggml magic).").ConfigureAwait(false);
                return CliExitCodes.DataError;
            }
        }

        var sha1 = await ModelFiles.Sha1Async(path, cancellationToken).ConfigureAwait(false);
        var published = PublishedModels.FindBySha1(sha1);
        if (published is not null)
        {
            await output.WriteLineAsync($"{path}: OK, whisper.cpp's published {published.FileName} (SHA-1 {sha1})").ConfigureAwait(false);
            return CliExitCodes.Ok;
        }

        var named = PublishedModels.Find(Path.GetFileName(path));
        await error.WriteLineAsync(named is not null
            ? $"{Name}: {path} has SHA-1 {sha1}, but whisper.cpp publishes {named.FileName} with SHA-1 {named.Sha1}: the file is damaged or incomplete; download it again."
            : $"{Name}: {path} is a ggml file with SHA-1 {sha1}, which is none of whisper.cpp's published models (one converted or quantised elsewhere?).").ConfigureAwait(false);
        return CliExitCodes.DataError;
    }

    /// <summary>"  42% [========>           ]  60.1 / 142.0 MiB" on one line, redrawn when the percentage changes.</summary>
    private sealed class ProgressBar(TextWriter error) : IProgress<(long Received, long? Total)>
    {
        private const int Width = 30;
        private long _shown = -1;

        public void Report((long Received, long? Total) value)
        {
            var (received, total) = value;
            var mib = received / 1048576.0;
            if (total is > 0)
            {
                var percent = received * 100 / total.Value;
                if (percent == _shown)
                {
                    return;
                }

                _shown = percent;
                var filled = (int)(percent * Width / 100);
                var bar = new string('=', filled) + (filled < Width ? ">" + new string(' ', Width - filled - 1) : "");
                error.Write(string.Create(CultureInfo.InvariantCulture, $"\r{percent,4}% [{bar}] {mib,7:0.0} / {total.Value / 1048576.0:0.0} MiB"));
                if (received == total.Value)
                {
                    error.WriteLine();
                }
            }
            else
            {
                // No Content-Length: a redraw per MiB.
                var whole = received >> 20;
                if (whole != _shown)
                {
                    _shown = whole;
                    error.Write(string.Create(CultureInfo.InvariantCulture, $"\r{mib,7:0.0} MiB"));
                }
            }
        }
    }
}
