using Microsoft.Extensions.Configuration;

namespace CallTracking.Engine.Configuration;

/// <summary>The assembled configuration, or the faults that stopped it being assembled (unreadable or invalid files).</summary>
public sealed class ConfigurationLoadResult
{
    private ConfigurationLoadResult(IConfigurationRoot? configuration, IReadOnlyList<ConfigurationFault> faults)
    {
        Configuration = configuration;
        Faults = faults;
    }

    public IConfigurationRoot? Configuration { get; }

    public IReadOnlyList<ConfigurationFault> Faults { get; }

    public bool IsLoaded => Configuration is not null;

    public static ConfigurationLoadResult Loaded(IConfigurationRoot configuration) => new(configuration, []);

    public static ConfigurationLoadResult Failed(IReadOnlyList<ConfigurationFault> faults) => new(null, faults);
}
