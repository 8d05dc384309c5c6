using CallTracking.Engine.Sip.Trunks;
using Npgsql;

namespace CallTracking.Engine.Provisioning;

/// <summary>
/// Applies <c>Provisioning:File</c> (when set) at start-up. Registered after storage, so the
/// migrations have run; a file that cannot be applied stops the start with
/// <see cref="ProvisioningException"/> and nothing of it applied.
/// </summary>
public sealed partial class ProvisioningService : IHostedService
{
    private readonly string? _file;
    private readonly NpgsqlDataSource _dataSource;
    private readonly IReadOnlyList<Trunk> _trunks;
    private readonly ILogger<ProvisioningService> _logger;

    /// <param name="file">The file to apply, relative to the working directory; null or empty: nothing to do.</param>
    /// <param name="dataSource">The engine's database.</param>
    /// <param name="trunks">The configured trunks, the ones a provisioned plan may forward through.</param>
    /// <param name="logger">Where applied changes are logged.</param>
    public ProvisioningService(string? file, NpgsqlDataSource dataSource, IReadOnlyList<Trunk> trunks, ILogger<ProvisioningService> logger)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(trunks);
        ArgumentNullException.ThrowIfNull(logger);
        _file = string.IsNullOrWhiteSpace(file) ? null : Path.GetFullPath(file);
        _dataSource = dataSource;
        _trunks = trunks;
        _logger = logger;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_file is null)
        {
            return;
        }

        var result = await ProvisioningFile.ApplyAsync(_file, _dataSource, _trunks, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new ProvisioningException($"provisioning file {_file} was not applied", result.Errors);
        }

        foreach (var change in result.Changes.Where(c => c.Action != ProvisioningAction.Unchanged))
        {
            LogChange(_logger, change.ToString());
        }

        LogApplied(_logger, _file, result.Summary);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Provisioning: {Change}")]
    private static partial void LogChange(ILogger logger, string change);

    [LoggerMessage(Level = LogLevel.Information, Message = "Provisioning file {File} applied: {Summary}")]
    private static partial void LogApplied(ILogger logger, string file, string summary);
}
