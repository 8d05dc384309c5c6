using Npgsql;

namespace CallTracking.Engine.Provisioning;

/// <summary>Reads, checks and applies a provisioning file: what <c>calltracking provision</c> and <c>Provisioning:File</c> at start-up both do.</summary>
public static class ProvisioningFile
{
    /// <summary>The configuration key naming a file applied at every engine start, after the migrations.</summary>
    public const string ConfigurationKey = "Provisioning:File";

    public static async Task<ProvisioningResult> ApplyAsync(string path, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(dataSource);
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

        return await new Provisioner(dataSource).ApplyAsync(document!, cancellationToken).ConfigureAwait(false);
    }
}
