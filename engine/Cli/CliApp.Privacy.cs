using System.CommandLine;
using CallTracking.Engine.Privacy;

namespace CallTracking.Engine.Cli;

public sealed partial class CliApp
{
    /// <summary>
    /// Runs privacy work (deletion, subject requests, organisation exit, key rotation) on the migrated database with
    /// the master key named by <c>Security:MasterKeyFile</c>. A master key that cannot be used exits 69 with the reason.
    /// </summary>
    private async Task<int> WithPrivacyAsync(
        ParseResult parse,
        string? configFile,
        IReadOnlyList<KeyValuePair<string, string?>> overrides,
        Func<PrivacyToolkit, TextWriter, TextWriter, Task<int>> work,
        CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        if (!TryLoad(configFile, overrides, error, out var configuration, out var settings))
        {
            return CliExitCodes.Config;
        }

        if (Database is null)
        {
            await error.WriteLineAsync($"{Name}: the database is not available here.").ConfigureAwait(false);
            return CliExitCodes.StartFailed;
        }

        var path = MasterKeyFile.PathFor(configuration[MasterKeyFile.ConfigurationKey], settings.DataPath);
        MasterKeyRing ring;
        try
        {
            ring = MasterKeyFile.LoadOrCreate(path);
        }
        catch (MasterKeyException e)
        {
            await error.WriteLineAsync($"{Name}: {e.Message}").ConfigureAwait(false);
            return CliExitCodes.StartFailed;
        }

        using (ring)
        {
            return await Database(settings, configuration, async dataSource =>
            {
                var toolkit = new PrivacyToolkit(dataSource, settings, path, ring, new AuditTrail(dataSource, TimeProvider.System), TimeProvider.System);
                return await work(toolkit, output, error).ConfigureAwait(false);
            }, error, cancellationToken).ConfigureAwait(false);
        }
    }
}
