using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace CallTracking.Engine.Configuration;

/// <summary>
/// Assembles the configuration from its layers, each overriding the one before:
/// <list type="number">
/// <item><c>appsettings.json</c> beside the executable (optional),</item>
/// <item>the file given with <c>--config</c> (required once named),</item>
/// <item>environment variables <c>CALLTRACKING_Section__Key</c>,</item>
/// <item>command-line overrides <c>--Section:Key=value</c>.</item>
/// </list>
/// The environment is passed in rather than read from the process so tests control it.
/// </summary>
public sealed class ConfigurationLoader
{
    public const string EnvironmentPrefix = "CALLTRACKING_";

    public const string DefaultFileName = "appsettings.json";

    private readonly string _baseDirectory;
    private readonly string _workingDirectory;
    private readonly IReadOnlyDictionary<string, string?> _environment;

    /// <param name="baseDirectory">Folder of the executable, where the default <c>appsettings.json</c> lives.</param>
    /// <param name="workingDirectory">Base for a relative <c>--config</c> path.</param>
    /// <param name="environment">Environment variables; only those starting with <see cref="EnvironmentPrefix"/> are used.</param>
    public ConfigurationLoader(string baseDirectory, string workingDirectory, IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentException.ThrowIfNullOrEmpty(baseDirectory);
        ArgumentException.ThrowIfNullOrEmpty(workingDirectory);
        ArgumentNullException.ThrowIfNull(environment);
        _baseDirectory = baseDirectory;
        _workingDirectory = workingDirectory;
        _environment = environment;
    }

    public ConfigurationLoadResult Load(string? configFile, IEnumerable<KeyValuePair<string, string?>> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var faults = new List<ConfigurationFault>();
        var builder = new ConfigurationBuilder();

        var defaults = Path.Combine(_baseDirectory, DefaultFileName);
        if (File.Exists(defaults) && TryReadJson(DefaultFileName, defaults, defaults, faults) is { } defaultLayer)
        {
            builder.AddConfiguration(defaultLayer);
        }

        if (configFile is not null)
        {
            var path = Path.GetFullPath(configFile, _workingDirectory);
            if (!File.Exists(path))
            {
                faults.Add(new("--config", $"\"{configFile}\" not found (looked for {path})"));
            }
            else if (TryReadJson("--config", configFile, path, faults) is { } fileLayer)
            {
                builder.AddConfiguration(fileLayer);
            }
        }

        builder.AddInMemoryCollection(FromEnvironment());
        builder.AddInMemoryCollection(overrides);
        return faults.Count > 0 ? ConfigurationLoadResult.Failed(faults.AsReadOnly()) : ConfigurationLoadResult.Loaded(builder.Build());
    }

    // The same mapping as AddEnvironmentVariables(prefix): the prefix goes, "__" becomes ":".
    private IEnumerable<KeyValuePair<string, string?>> FromEnvironment()
    {
        foreach (var (name, value) in _environment)
        {
            if (name.Length > EnvironmentPrefix.Length && name.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
            {
                var key = name[EnvironmentPrefix.Length..].Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);
                yield return new(key, value);
            }
        }
    }

    private static IConfigurationRoot? TryReadJson(string key, string displayName, string path, List<ConfigurationFault> faults)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            faults.Add(new(key, $"\"{displayName}\" cannot be read: {e.Message}"));
            return null;
        }

        try
        {
            // Each file is parsed on its own so a syntax error is reported against the right file.
            using var stream = new MemoryStream(bytes, writable: false);
            return new ConfigurationBuilder().AddJsonStream(stream).Build();
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or JsonException)
        {
            var detail = (e.InnerException as JsonException)?.Message ?? e.Message;
            faults.Add(new(key, $"\"{displayName}\" is not valid JSON: {detail}"));
            return null;
        }
    }
}
