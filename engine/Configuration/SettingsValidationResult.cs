namespace CallTracking.Engine.Configuration;

/// <summary>Either the validated settings or every fault found; never both.</summary>
public sealed class SettingsValidationResult
{
    private SettingsValidationResult(EngineSettings? settings, IReadOnlyList<ConfigurationFault> faults)
    {
        Settings = settings;
        Faults = faults;
    }

    public EngineSettings? Settings { get; }

    public IReadOnlyList<ConfigurationFault> Faults { get; }

    public bool IsValid => Settings is not null;

    public static SettingsValidationResult Valid(EngineSettings settings) => new(settings, []);

    public static SettingsValidationResult Invalid(IReadOnlyList<ConfigurationFault> faults) =>
        faults.Count == 0 ? throw new ArgumentException("An invalid result needs at least one fault.", nameof(faults)) : new(null, faults);
}
