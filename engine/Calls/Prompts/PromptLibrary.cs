using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using CallTracking.Media.Sessions;
using Microsoft.Extensions.Logging;

namespace CallTracking.Engine.Calls.Prompts;

/// <summary>
/// Turns what a routing plan says about a prompt into audio, once: <c>"default"</c> is the shipped prompt of its
/// kind, <c>"none"</c> is no prompt, a path ending in <c>.wav</c> is an operator's file (any rate, see
/// <see cref="PromptAudio.FromWav"/>), and anything else is text spoken by espeak-ng (Debian <c>espeak-ng</c>) and
/// cached as a WAV under the data folder, so a restart does not render it again. Call control asks before a call
/// needs the prompt (at start-up and when plans change), never on a SIP thread in the middle of a call.
/// </summary>
public sealed partial class PromptLibrary
{
    public const string DefaultSpec = "default";
    public const string NoneSpec = "none";

    private static readonly TimeSpan SpeechTimeout = TimeSpan.FromSeconds(20);

    private readonly string _assets;
    private readonly string _cache;
    private readonly string _speaker;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Lazy<PromptAudio>> _loaded = new(StringComparer.Ordinal);

    /// <param name="assetsFolder">Where the shipped prompts are (<c>Assets/Prompts</c> beside the executable).</param>
    /// <param name="cacheFolder">Where spoken text is kept (<c>&lt;Data:Path&gt;/prompts</c>).</param>
    /// <param name="speaker">The espeak-ng executable.</param>
    public PromptLibrary(string assetsFolder, string cacheFolder, ILogger<PromptLibrary> logger, string speaker = "espeak-ng")
    {
        _assets = assetsFolder;
        _cache = cacheFolder;
        _speaker = speaker;
        _logger = logger;
    }

    /// <summary>The shipped prompts beside the executable.</summary>
    public static string ShippedFolder => Path.Combine(AppContext.BaseDirectory, "Assets", "Prompts");

    /// <summary>The recording notice played to the caller first; null when the plan says <c>"none"</c>.</summary>
    /// <exception cref="PromptException">The prompt cannot be loaded or spoken; the message says what to do.</exception>
    public PromptAudio? RecordingNotice(string? spec) => Resolve(spec, "recording-notice");

    /// <summary>The voicemail greeting (ends with the tone); null when the plan says <c>"none"</c>.</summary>
    /// <exception cref="PromptException">The prompt cannot be loaded or spoken; the message says what to do.</exception>
    public PromptAudio? VoicemailGreeting(string? spec) => Resolve(spec, "voicemail-greeting");

    /// <summary>A prompt with no shipped default (a whisper to the answering party): a WAV path or text.</summary>
    /// <exception cref="PromptException">The prompt cannot be loaded or spoken; the message says what to do.</exception>
    public PromptAudio? Get(string? spec) => string.IsNullOrWhiteSpace(spec) || IsNone(spec) ? null : Load(spec.Trim());

    private PromptAudio? Resolve(string? spec, string shipped)
    {
        if (spec is null || string.IsNullOrWhiteSpace(spec) || spec.Trim().Equals(DefaultSpec, StringComparison.OrdinalIgnoreCase))
        {
            return Load(Path.Combine(_assets, shipped + ".wav"));
        }

        return IsNone(spec) ? null : Load(spec.Trim());
    }

    private static bool IsNone(string spec) => spec.Trim().Equals(NoneSpec, StringComparison.OrdinalIgnoreCase);

    private static bool IsWavPath(string spec) => spec.EndsWith(".wav", StringComparison.OrdinalIgnoreCase);

    private PromptAudio Load(string spec)
    {
        var lazy = _loaded.GetOrAdd(spec, s => new Lazy<PromptAudio>(() => IsWavPath(s) ? FromFile(s) : Speak(s)));
        try
        {
            return lazy.Value;
        }
        catch (PromptException)
        {
            // Let the next request try again (the operator may have installed espeak-ng or fixed the file).
            _loaded.TryRemove(new KeyValuePair<string, Lazy<PromptAudio>>(spec, lazy));
            throw;
        }
    }

    private static PromptAudio FromFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new PromptException($"prompt file {path} does not exist: give the full path of a 16-bit mono WAV file.");
        }

        try
        {
            return PromptAudio.FromWav(path);
        }
        catch (InvalidDataException e)
        {
            throw new PromptException($"prompt {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new PromptException($"prompt file {path} cannot be read: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new PromptException($"prompt file {path} cannot be read: {e.Message}", e);
        }
    }

    private PromptAudio Speak(string text)
    {
        var name = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("espeak-ng en-us 150\n" + text)))[..24];
        var path = Path.Combine(_cache, name + ".wav");
        if (File.Exists(path))
        {
            return FromFile(path);
        }

        Directory.CreateDirectory(_cache);
        var partial = path + ".partial";
        var start = new ProcessStartInfo(_speaker)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["-v", "en-us", "-s", "150", "-w", partial, "--", text])
        {
            start.ArgumentList.Add(argument);
        }

        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new PromptException($"text prompt \"{text}\" needs espeak-ng to be spoken, and it cannot be run ({e.Message}): install it (apt-get install espeak-ng) or give a WAV file instead.", e);
        }

        using (process)
        {
            if (process is null)
            {
                throw new PromptException($"text prompt \"{text}\": espeak-ng did not start; install it (apt-get install espeak-ng) or give a WAV file.");
            }

            var errors = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(SpeechTimeout))
            {
                process.Kill(entireProcessTree: true);
                throw new PromptException($"text prompt \"{text}\": espeak-ng did not finish within {SpeechTimeout.TotalSeconds:F0} s.");
            }

            if (process.ExitCode != 0 || !File.Exists(partial))
            {
                throw new PromptException($"text prompt \"{text}\": espeak-ng failed (exit {process.ExitCode}): {errors.GetAwaiter().GetResult().Trim()}");
            }
        }

        File.Move(partial, path, overwrite: true);
        LogSpoken(text, path);
        return FromFile(path);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Prompt \"{Text}\" spoken by espeak-ng into {Path}")]
    private partial void LogSpoken(string text, string path);
}

/// <summary>A prompt a plan names cannot be played: the message says which and what to do.</summary>
public sealed class PromptException : Exception
{
    public PromptException()
    {
    }

    public PromptException(string message)
        : base(message)
    {
    }

    public PromptException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
