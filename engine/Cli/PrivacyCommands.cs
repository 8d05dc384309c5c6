using System.CommandLine;
using System.Globalization;
using CallTracking.Engine.Privacy;

namespace CallTracking.Engine.Cli;

/// <summary>
/// The privacy commands: <c>calls delete</c>, <c>recording delete</c>, <c>transcript delete</c> (crypto-shredding,
/// tombstone), <c>subject find|export|erase NUMBER [--org NAME]</c>, <c>org export|delete NAME</c>,
/// <c>retention set|sweep</c>, and <c>keys rotate-master</c>. Unknown call, organisation or campaign: exit 78.
/// </summary>
internal static class PrivacyCommands
{
    /// <summary>Runs work with the privacy services over the migrated database and the master key.</summary>
    public delegate Task<int> WithPrivacy(ParseResult parse, string? configFile, Func<PrivacyToolkit, TextWriter, TextWriter, Task<int>> work, CancellationToken cancellationToken);

    private const string Actor = "cli";

    public static IReadOnlyList<Command> Create(Func<Option<string>> configOption, WithPrivacy withPrivacy)
    {
        return
        [
            DeleteCommand("calls", "A call: its recording and transcript (keys destroyed first), legs, attribution, tags and events; the call row stays as a tombstone without the caller's details.", DeletionTarget.Call, configOption, withPrivacy),
            DeleteCommand("recording", "A call's recording: its data key destroyed (crypto-shredding), then the file and rows; the call keeps a tombstone.", DeletionTarget.Recording, configOption, withPrivacy),
            DeleteCommand("transcript", "A call's transcript: its data key destroyed, then the rows; the call keeps a tombstone.", DeletionTarget.Transcript, configOption, withPrivacy),
            SubjectCommand(configOption, withPrivacy),
            OrganisationCommand(configOption, withPrivacy),
            RetentionCommand(configOption, withPrivacy),
        ];
    }

    /// <summary><c>keys rotate-master</c>: a new master key, every data key re-wrapped with it, the old one removed.</summary>
    public static Command RotateMaster(Func<Option<string>> configOption, WithPrivacy withPrivacy)
    {
        var config = configOption();
        var command = new Command("rotate-master", """
            Replace the master key (Security:MasterKeyFile): a new key is written beside it (.next, mode 0600), every
            data key is re-wrapped with it in batches (progress shown), then it replaces the old key, which is gone.
            Recordings and transcripts are not touched. Run it with the engines stopped: a running engine still holds
            the old key. An interrupted rotation resumes when run again.
            """);
        command.Options.Add(config);
        command.SetAction((parse, ct) => withPrivacy(parse, parse.GetValue(config), async (toolkit, output, error) =>
        {
            var nextPath = MasterKeyFile.NextPath(toolkit.MasterKeyPath);
            var next = toolkit.Ring.Next ?? MasterKeyFile.Create(nextPath);
            var ring = toolkit.Ring.Next is null ? new MasterKeyRing(toolkit.Ring.Current, next) : toolkit.Ring;
            var store = new DataKeyStore(toolkit.DataSource, ring);
            var bar = new ProgressBar(output, "re-wrapping data keys");
            var done = await store.RewrapAllAsync(next, bar, ct).ConfigureAwait(false);
            bar.Finish();
            File.Move(nextPath, toolkit.MasterKeyPath, overwrite: true);
            await toolkit.Audit.RecordAsync("keys.master-rotated", null, Actor, next.Id, new { rewrapped = done, previous = toolkit.Ring.Current.Id }, ct).ConfigureAwait(false);
            await output.WriteLineAsync($"master key rotated: {toolkit.Ring.Current.Id} -> {next.Id}; {done} data keys re-wrapped").ConfigureAwait(false);
            return CliExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Command DeleteCommand(string noun, string description, DeletionTarget target, Func<Option<string>> configOption, WithPrivacy withPrivacy)
    {
        var config = configOption();
        var id = new Argument<Guid>("CALL_ID") { Description = "The call's id (as the API and dashboard show it)." };
        var delete = new Command("delete", description);
        delete.Arguments.Add(id);
        delete.Options.Add(config);
        delete.SetAction((parse, ct) => withPrivacy(parse, parse.GetValue(config), async (toolkit, output, error) =>
        {
            var result = await toolkit.Deletion.DeleteAsync(parse.GetValue(id), target, Actor, "request", scope: null, ct).ConfigureAwait(false);
            if (!result.Found)
            {
                await error.WriteLineAsync($"calltracking: no call {parse.GetValue(id)}").ConfigureAwait(false);
                return CliExitCodes.Config;
            }

            await output.WriteLineAsync($"deleted: {result.KeysDestroyed} keys destroyed, {result.FilesDeleted} files, {result.Recordings} recordings, {result.Transcripts} transcripts").ConfigureAwait(false);
            return CliExitCodes.Ok;
        }, ct));
        var command = new Command(noun, $"Manage {noun}.");
        command.Subcommands.Add(delete);
        return command;
    }

    private static Command SubjectCommand(Func<Option<string>> configOption, WithPrivacy withPrivacy)
    {
        var subject = new Command("subject", "Requests by caller number (data-subject access and erasure): every call, recording, transcript, attribution and linked row for that number.");

        (Argument<string> Number, Option<string> Org, Option<string> Config) Common(Command command)
        {
            var number = new Argument<string>("NUMBER") { Description = "The caller's number, E.164 (+447700900123)." };
            var org = new Option<string>("--org") { Description = "Only this organisation's calls (default: every organisation).", HelpName = "NAME" };
            var config = configOption();
            command.Arguments.Add(number);
            command.Options.Add(org);
            command.Options.Add(config);
            return (number, org, config);
        }

        var find = new Command("find", "List the calls from the number and what each holds.");
        var findArgs = Common(find);
        find.SetAction((parse, ct) => withPrivacy(parse, parse.GetValue(findArgs.Config), async (toolkit, output, error) =>
        {
            if (await ResolveAsync(toolkit, parse.GetValue(findArgs.Number)!, parse.GetValue(findArgs.Org), error, ct).ConfigureAwait(false) is not { } request)
            {
                return CliExitCodes.Config;
            }

            var calls = await toolkit.Subjects.FindAsync(request.Number, request.Organisation, null, ct).ConfigureAwait(false);
            await output.WriteLineAsync($"{calls.Count} calls from {request.Number}").ConfigureAwait(false);
            foreach (var call in calls)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{call.CallId}  {call.Organisation}  {call.StartedAt:yyyy-MM-dd HH:mm:ss}Z  to {call.TrackingNumber}  {call.Disposition ?? "-"}  recordings {call.Recordings}  transcripts {call.Transcripts}  attribution {(call.Attribution ? "yes" : "no")}  events {call.Events}")).ConfigureAwait(false);
            }

            return CliExitCodes.Ok;
        }, ct));

        var export = new Command("export", "Write everything about the number to one zip: manifest.json, and per call call.json, transcript.json and the decrypted recording (Ogg Opus).");
        var exportArgs = Common(export);
        var outputFile = new Option<string>("--output", "-o") { Description = "The zip to write (default: subject-NUMBER.zip here).", HelpName = "FILE" };
        export.Options.Add(outputFile);
        export.SetAction((parse, ct) => withPrivacy(parse, parse.GetValue(exportArgs.Config), async (toolkit, output, error) =>
        {
            if (await ResolveAsync(toolkit, parse.GetValue(exportArgs.Number)!, parse.GetValue(exportArgs.Org), error, ct).ConfigureAwait(false) is not { } request)
            {
                return CliExitCodes.Config;
            }

            var path = parse.GetValue(outputFile) ?? $"subject-{request.Number.TrimStart('+')}.zip";
            var bar = new ProgressBar(output, "exporting calls");
            var file = PrivateFile.Create(path, FileMode.Create, FileAccess.Write);
            IReadOnlyList<SubjectCall> calls;
            await using (file.ConfigureAwait(false))
            {
                calls = await toolkit.Subjects.ExportAsync(request.Number, request.Organisation, null, Actor, file, bar, ct).ConfigureAwait(false);
            }

            bar.Finish();
            await output.WriteLineAsync($"{calls.Count} calls exported to {Path.GetFullPath(path)}").ConfigureAwait(false);
            return CliExitCodes.Ok;
        }, ct));

        var erase = new Command("erase", "Erase everything about the number: recordings and transcripts crypto-shredded, linked rows removed, the caller scrubbed from each call (which stays as a tombstone). Needs --yes.");
        var eraseArgs = Common(erase);
        var yes = new Option<bool>("--yes") { Description = "Confirm: this cannot be undone." };
        erase.Options.Add(yes);
        erase.SetAction((parse, ct) => withPrivacy(parse, parse.GetValue(eraseArgs.Config), async (toolkit, output, error) =>
        {
            if (await ResolveAsync(toolkit, parse.GetValue(eraseArgs.Number)!, parse.GetValue(eraseArgs.Org), error, ct).ConfigureAwait(false) is not { } request)
            {
                return CliExitCodes.Config;
            }

            if (!parse.GetValue(yes))
            {
                var found = await toolkit.Subjects.FindAsync(request.Number, request.Organisation, null, ct).ConfigureAwait(false);
                await error.WriteLineAsync($"calltracking: erasing {found.Count} calls from {request.Number} cannot be undone; run again with --yes").ConfigureAwait(false);
                return CliExitCodes.Usage;
            }

            var bar = new ProgressBar(output, "erasing calls");
            var calls = await toolkit.Subjects.EraseAsync(request.Number, request.Organisation, null, Actor, bar, ct).ConfigureAwait(false);
            bar.Finish();
            await output.WriteLineAsync($"{calls.Count} calls from {request.Number} erased").ConfigureAwait(false);
            return CliExitCodes.Ok;
        }, ct));

        subject.Subcommands.Add(find);
        subject.Subcommands.Add(export);
        subject.Subcommands.Add(erase);
        return subject;
    }

    private static Command OrganisationCommand(Func<Option<string>> configOption, WithPrivacy withPrivacy)
    {
        var org = new Command("org", "An organisation leaving: export everything it owns, then delete it.");

        var exportName = new Argument<string>("NAME") { Description = "The organisation's name." };
        var exportConfig = configOption();
        var outputFile = new Option<string>("--output", "-o") { Description = "The zip to write (default: organisation-NAME.zip here).", HelpName = "FILE" };
        var export = new Command("export", "Write everything the organisation owns to one zip: its settings, numbers, campaigns, plans, rules, keys and users (without secrets), and every call with its decrypted recording and transcript.");
        export.Arguments.Add(exportName);
        export.Options.Add(outputFile);
        export.Options.Add(exportConfig);
        export.SetAction((parse, ct) => withPrivacy(parse, parse.GetValue(exportConfig), async (toolkit, output, error) =>
        {
            if (await toolkit.Organisations.FindAsync(parse.GetValue(exportName)!, ct).ConfigureAwait(false) is not { } found)
            {
                await error.WriteLineAsync($"calltracking: no organisation '{parse.GetValue(exportName)}'").ConfigureAwait(false);
                return CliExitCodes.Config;
            }

            var path = parse.GetValue(outputFile) ?? $"organisation-{found.Name}.zip";
            var bar = new ProgressBar(output, "exporting calls");
            int calls;
            var file = PrivateFile.Create(path, FileMode.Create, FileAccess.Write);
            await using (file.ConfigureAwait(false))
            {
                calls = await toolkit.Organisations.ExportAsync(found.Id, Actor, file, bar, ct).ConfigureAwait(false);
            }

            bar.Finish();
            await output.WriteLineAsync($"organisation {found.Name}: {calls} calls exported to {Path.GetFullPath(path)}").ConfigureAwait(false);
            return CliExitCodes.Ok;
        }, ct));

        var deleteName = new Argument<string>("NAME") { Description = "The organisation's name." };
        var confirm = new Option<string>("--confirm") { Description = "The organisation's name again: deleting it deletes everything it owns, for good.", HelpName = "NAME", Required = true };
        var deleteConfig = configOption();
        var delete = new Command("delete", "Delete the organisation and everything it owns (keys shredded first). Export it first. Refused while it has client organisations.");
        delete.Arguments.Add(deleteName);
        delete.Options.Add(confirm);
        delete.Options.Add(deleteConfig);
        delete.SetAction((parse, ct) => withPrivacy(parse, parse.GetValue(deleteConfig), async (toolkit, output, error) =>
        {
            if (await toolkit.Organisations.FindAsync(parse.GetValue(deleteName)!, ct).ConfigureAwait(false) is not { } found)
            {
                await error.WriteLineAsync($"calltracking: no organisation '{parse.GetValue(deleteName)}'").ConfigureAwait(false);
                return CliExitCodes.Config;
            }

            if (parse.GetValue(confirm) != found.Name)
            {
                await error.WriteLineAsync($"calltracking: --confirm must repeat the organisation's name ('{found.Name}'); nothing was deleted").ConfigureAwait(false);
                return CliExitCodes.Usage;
            }

            var bar = new ProgressBar(output, "deleting calls");
            if (!await toolkit.Organisations.DeleteAsync(found.Id, Actor, bar, ct).ConfigureAwait(false))
            {
                await error.WriteLineAsync($"calltracking: '{found.Name}' has client organisations; delete them first").ConfigureAwait(false);
                return CliExitCodes.Config;
            }

            bar.Finish();
            await output.WriteLineAsync($"organisation {found.Name} deleted").ConfigureAwait(false);
            return CliExitCodes.Ok;
        }, ct));

        org.Subcommands.Add(export);
        org.Subcommands.Add(delete);
        return org;
    }

    private static Command RetentionCommand(Func<Option<string>> configOption, WithPrivacy withPrivacy)
    {
        var retention = new Command("retention", "How long recordings, transcripts and call records are kept, per organisation and campaign; the engine's sweeper enforces it.");
        var org = new Option<string>("--org") { Description = "The organisation's name.", HelpName = "NAME", Required = true };
        var campaign = new Option<string>("--campaign") { Description = "Set the campaign's retention (overrides the organisation's) instead.", HelpName = "NAME" };
        var recordings = new Option<string>("--recordings-days") { Description = "Days to keep recordings; 'keep' for ever.", HelpName = "DAYS" };
        var transcripts = new Option<string>("--transcripts-days") { Description = "Days to keep transcripts; 'keep' for ever.", HelpName = "DAYS" };
        var calls = new Option<string>("--calls-days") { Description = "Days to keep call records; 'keep' for ever.", HelpName = "DAYS" };
        var config = configOption();
        var set = new Command("set", "Set retention (options left out are unchanged).");
        foreach (var option in new Option[] { org, campaign, recordings, transcripts, calls, config })
        {
            set.Options.Add(option);
        }

        set.SetAction((parse, ct) => withPrivacy(parse, parse.GetValue(config), async (toolkit, output, error) =>
        {
            var columns = new List<(string Column, int? Days)>();
            foreach (var (option, column) in new[] { (recordings, "retain_recordings_days"), (transcripts, "retain_transcripts_days"), (calls, "retain_calls_days") })
            {
                if (parse.GetValue(option) is not { } text)
                {
                    continue;
                }

                if (text == "keep")
                {
                    columns.Add((column, null));
                }
                else if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var days))
                {
                    columns.Add((column, days));
                }
                else
                {
                    await error.WriteLineAsync($"calltracking: {option.Name} takes a number of days or 'keep', not '{text}'").ConfigureAwait(false);
                    return CliExitCodes.Usage;
                }
            }

            var campaignName = parse.GetValue(campaign);
            var assignments = string.Join(", ", columns.Select((c, i) => $"{c.Column} = ${i + 3}"));
            var sql = campaignName is null
                ? $"UPDATE organisations SET {(columns.Count == 0 ? "updated_at = updated_at" : assignments)} WHERE name = $1 AND $2::text IS NULL"
                : $"UPDATE campaigns SET {(columns.Count == 0 ? "updated_at = updated_at" : assignments)} WHERE name = $2 AND organisation_id = (SELECT id FROM organisations WHERE name = $1)";
            await using var command = toolkit.DataSource.CreateCommand(sql);
            command.Parameters.Add(new() { Value = parse.GetValue(org)!, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            command.Parameters.Add(new() { Value = (object?)campaignName ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            foreach (var (_, days) in columns)
            {
                command.Parameters.Add(new() { Value = (object?)days ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
            }

            if (await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 0)
            {
                await error.WriteLineAsync($"calltracking: no {(campaignName is null ? "organisation" : "campaign")} '{campaignName ?? parse.GetValue(org)}'").ConfigureAwait(false);
                return CliExitCodes.Config;
            }

            await toolkit.Audit.RecordAsync("retention.changed", null, Actor, campaignName ?? parse.GetValue(org)!, columns.ToDictionary(c => c.Column, c => c.Days), ct).ConfigureAwait(false);
            await output.WriteLineAsync("retention updated").ConfigureAwait(false);
            return CliExitCodes.Ok;
        }, ct));

        var sweepConfig = configOption();
        var sweep = new Command("sweep", "Run one retention sweep now (the engine runs them every Privacy:RetentionSweepSeconds) and print what it removed.");
        sweep.Options.Add(sweepConfig);
        sweep.SetAction((parse, ct) => withPrivacy(parse, parse.GetValue(sweepConfig), async (toolkit, output, error) =>
        {
            var sweeper = new RetentionSweeper(toolkit.Deletion, toolkit.DataSource, new RetentionOptions(TimeSpan.Zero, 100), toolkit.Time, Microsoft.Extensions.Logging.Abstractions.NullLogger<RetentionSweeper>.Instance);
            var result = await sweeper.SweepAsync(ct).ConfigureAwait(false);
            await output.WriteLineAsync($"removed {result.Recordings} recordings, {result.Transcripts} transcripts, {result.Calls} call records").ConfigureAwait(false);
            return CliExitCodes.Ok;
        }, ct));

        retention.Subcommands.Add(set);
        retention.Subcommands.Add(sweep);
        return retention;
    }

    private static async Task<(string Number, Guid? Organisation)?> ResolveAsync(PrivacyToolkit toolkit, string number, string? organisation, TextWriter error, CancellationToken cancellationToken)
    {
        if (SubjectRequests.Normalise(number) is not { } normalised)
        {
            await error.WriteLineAsync($"calltracking: '{number}' is not a phone number (E.164, e.g. +447700900123)").ConfigureAwait(false);
            return null;
        }

        if (organisation is null)
        {
            return (normalised, null);
        }

        if (await toolkit.Organisations.FindAsync(organisation, cancellationToken).ConfigureAwait(false) is not { } found)
        {
            await error.WriteLineAsync($"calltracking: no organisation '{organisation}'").ConfigureAwait(false);
            return null;
        }

        return (normalised, found.Id);
    }
}
