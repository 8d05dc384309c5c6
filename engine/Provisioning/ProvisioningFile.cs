using CallTracking.Engine.Sip.Trunks;
using Npgsql;

namespace CallTracking.Engine.Provisioning;

/// <summary>Reads, checks and applies a provisioning file: what <c>calltracking provision</c> and <c>Provisioning:File</c> at start-up both do.</summary>
public static class ProvisioningFile
{
    /// <summary>The configuration key naming a file applied at every engine start, after the migrations.</summary>
    public const string ConfigurationKey = "Provisioning:File";

    /// <param name="path">The provisioning file.</param>
    /// <param name="dataSource">The database to apply it to.</param>
    /// <param name="trunks">The engine's configured trunks: a plan's forward targets may name only these.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    public static async Task<ProvisioningResult> ApplyAsync(string path, NpgsqlDataSource dataSource, IReadOnlyList<Trunk> trunks, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(trunks);
        string json;
        try
        {
            json = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ProvisioningResult.Failed([new ProvisioningError("$", $"cannot read {path}: {e.Message}")]);
        }

        if (!ProvisioningParser.TryParse(json, out var document, out var errors))
        {
            return ProvisioningResult.Failed(errors);
        }

        // Checked before the database is touched: a plan call control would refuse is an error like any other.
        var zones = document!.Organisations.Any(o => o.TimeZone is null && o.Plans.Count > 0)
            ? await StoredZonesAsync(dataSource, cancellationToken).ConfigureAwait(false)
            : null;
        var planErrors = ProvisioningPlans.Validate(document, trunks, zones);
        if (planErrors.Count > 0)
        {
            return ProvisioningResult.Failed(planErrors);
        }

        return await new Provisioner(dataSource).ApplyAsync(document!, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every organisation's time zone, by name: what a plan's business hours default to when the file names no zone.</summary>
    private static async Task<Dictionary<string, string>> StoredZonesAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var zones = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var command = dataSource.CreateCommand("select name, time_zone from organisations");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            zones[reader.GetString(0)] = reader.GetString(1);
        }

        return zones;
    }
}
