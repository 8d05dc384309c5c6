using System.CommandLine;
using System.Globalization;
using CallTracking.Engine.Transcription;
using Npgsql;

namespace CallTracking.Engine.Cli;

/// <summary>
/// <c>calltracking rules add | list | remove</c>: an organisation's keyword rules, applied to each call's transcript
/// when it is ready (tags, score, value; one <c>call.tagged</c> event per rule applied).
/// </summary>
internal static class RuleCommands
{
    /// <summary>Runs work on the migrated database with the command's --config and overrides (what <c>keys</c> uses).</summary>
    public delegate Task<int> WithDatabase(ParseResult parse, string? configFile, Func<NpgsqlDataSource, TextWriter, TextWriter, Task<int>> work, CancellationToken cancellationToken);

    public static Command Create(Func<Option<string>> configOption, Func<Option<string>> organisationOption, WithDatabase withDatabase)
    {
        var rules = new Command("rules", "Manage keyword rules: a phrase or regular expression said by the caller, the business or either → a tag, a score change or a value on the call. Unknown organisation or rule: exit 78.");

        var addOrg = organisationOption();
        var addConfig = configOption();
        var name = new Option<string>("--name") { Description = "The rule's name, unique in the organisation; adding an existing name replaces that rule.", HelpName = "NAME", Required = true };
        var phrase = new Option<string>("--phrase") { Description = "Words to find, case-insensitive, whole words, any spacing (\"booked an appointment\").", HelpName = "TEXT" };
        var regex = new Option<string>("--regex") { Description = "A .NET regular expression instead of a phrase, case-insensitive, run with a 200 ms time-out.", HelpName = "PATTERN" };
        var speaker = new Option<string>("--speaker") { Description = "Only when said by: caller or business (default: either).", HelpName = "WHO" };
        speaker.AcceptOnlyFromAmong("caller", "business");
        var tag = new Option<string>("--tag") { Description = "The tag the call gets.", HelpName = "TAG" };
        var score = new Option<int>("--score") { Description = "Added to the call's score (negative to subtract).", HelpName = "N" };
        var value = new Option<decimal?>("--value") { Description = "The call's value (e.g. the booking's worth) when the rule applies.", HelpName = "AMOUNT" };
        var disabled = new Option<bool>("--disabled") { Description = "Store the rule switched off." };
        var add = new Command("add", "Add (or replace) a rule. Exactly one of --phrase or --regex.");
        foreach (var option in new Option[] { addOrg, name, phrase, regex, speaker, tag, score, value, disabled, addConfig })
        {
            add.Options.Add(option);
        }

        add.SetAction((parse, ct) => withDatabase(parse, parse.GetValue(addConfig), (dataSource, output, error) => AddAsync(
            dataSource,
            parse.GetValue(addOrg)!,
            parse.GetValue(name)!,
            parse.GetValue(phrase),
            parse.GetValue(regex),
            parse.GetValue(speaker),
            parse.GetValue(tag),
            parse.GetValue(score),
            parse.GetValue(value),
            !parse.GetValue(disabled),
            output,
            error,
            ct), ct));

        var listOrg = organisationOption();
        var listConfig = configOption();
        var list = new Command("list", "List an organisation's rules.");
        list.Options.Add(listOrg);
        list.Options.Add(listConfig);
        list.SetAction((parse, ct) => withDatabase(parse, parse.GetValue(listConfig), (dataSource, output, error) => ListAsync(dataSource, parse.GetValue(listOrg)!, output, error, ct), ct));

        var removeOrg = organisationOption();
        var removeConfig = configOption();
        var removeName = new Argument<string>("NAME") { Description = "The rule's name." };
        var remove = new Command("remove", "Remove a rule (tags it already put on calls stay).");
        remove.Arguments.Add(removeName);
        remove.Options.Add(removeOrg);
        remove.Options.Add(removeConfig);
        remove.SetAction((parse, ct) => withDatabase(parse, parse.GetValue(removeConfig), (dataSource, output, error) => RemoveAsync(dataSource, parse.GetValue(removeOrg)!, parse.GetValue(removeName)!, output, error, ct), ct));

        rules.Subcommands.Add(add);
        rules.Subcommands.Add(list);
        rules.Subcommands.Add(remove);
        return rules;
    }

    private static async Task<int> AddAsync(
        NpgsqlDataSource dataSource, string organisation, string name, string? phrase, string? regex, string? speaker, string? tag, int score, decimal? value, bool enabled,
        TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if ((phrase is null) == (regex is null))
        {
            await error.WriteLineAsync("calltracking: give exactly one of --phrase or --regex.").ConfigureAwait(false);
            return CliExitCodes.Usage;
        }

        try
        {
            KeywordMatcher.Validate(regex ?? phrase!, regex is not null);
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync($"calltracking: rule '{name}': {e.Message}").ConfigureAwait(false);
            return CliExitCodes.Config;
        }

        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO keyword_rules (organisation_id, name, pattern, is_regex, speaker, tag, score_delta, value, enabled)
            SELECT id, $2, $3, $4, $5, $6, $7, $8, $9 FROM organisations WHERE name = $1
            ON CONFLICT (organisation_id, name) DO UPDATE SET pattern = excluded.pattern, is_regex = excluded.is_regex, speaker = excluded.speaker,
                tag = excluded.tag, score_delta = excluded.score_delta, value = excluded.value, enabled = excluded.enabled, updated_at = now()
            RETURNING (xmax = 0)
            """);
        command.Parameters.Add(new() { Value = organisation });
        command.Parameters.Add(new() { Value = name });
        command.Parameters.Add(new() { Value = regex ?? phrase! });
        command.Parameters.Add(new() { Value = regex is not null });
        command.Parameters.Add(new() { Value = (object?)speaker ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)tag ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = score });
        command.Parameters.Add(new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Numeric });
        command.Parameters.Add(new() { Value = enabled });
        if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not bool inserted)
        {
            return await NoSuchOrganisationAsync(error, organisation).ConfigureAwait(false);
        }

        await output.WriteLineAsync($"{(inserted ? "added" : "replaced")} rule {name} for {organisation}").ConfigureAwait(false);
        return CliExitCodes.Ok;
    }

    private static async Task<int> ListAsync(NpgsqlDataSource dataSource, string organisation, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var organisationId = await OrganisationAsync(dataSource, organisation, cancellationToken).ConfigureAwait(false);
        if (organisationId is null)
        {
            return await NoSuchOrganisationAsync(error, organisation).ConfigureAwait(false);
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rules = await KeywordRules.LoadAsync(connection, null, organisationId.Value, enabledOnly: false, cancellationToken).ConfigureAwait(false);
        var enabled = new HashSet<Guid>((await KeywordRules.LoadAsync(connection, null, organisationId.Value, enabledOnly: true, cancellationToken).ConfigureAwait(false)).Select(r => r.Id));
        await output.WriteLineAsync($"{"NAME",-24}{"STATE",-9}{"SPEAKER",-10}{"TAG",-16}{"SCORE",-7}{"VALUE",-10}MATCH").ConfigureAwait(false);
        foreach (var rule in rules)
        {
            var who = rule.Speaker is { } s ? TranscriptSegment.SpeakerText(s) : "either";
            var match = rule.IsRegex ? $"regex {rule.Pattern}" : $"phrase \"{rule.Pattern}\"";
            await output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"{rule.Name,-24}{(enabled.Contains(rule.Id) ? "on" : "off"),-9}{who,-10}{rule.Tag ?? "-",-16}{rule.ScoreDelta,-7}{(rule.Value is { } v ? v.ToString(CultureInfo.InvariantCulture) : "-"),-10}{match}")).ConfigureAwait(false);
        }

        return CliExitCodes.Ok;
    }

    private static async Task<int> RemoveAsync(NpgsqlDataSource dataSource, string organisation, string name, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (await OrganisationAsync(dataSource, organisation, cancellationToken).ConfigureAwait(false) is null)
        {
            return await NoSuchOrganisationAsync(error, organisation).ConfigureAwait(false);
        }

        await using var command = dataSource.CreateCommand("DELETE FROM keyword_rules r USING organisations o WHERE r.organisation_id = o.id AND o.name = $1 AND r.name = $2");
        command.Parameters.Add(new() { Value = organisation });
        command.Parameters.Add(new() { Value = name });
        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            await error.WriteLineAsync($"calltracking: {organisation} has no rule named '{name}'.").ConfigureAwait(false);
            return CliExitCodes.Config;
        }

        await output.WriteLineAsync($"removed rule {name} of {organisation}").ConfigureAwait(false);
        return CliExitCodes.Ok;
    }

    private static async Task<Guid?> OrganisationAsync(NpgsqlDataSource dataSource, string organisation, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT id FROM organisations WHERE name = $1");
        command.Parameters.Add(new() { Value = organisation });
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as Guid?;
    }

    private static async Task<int> NoSuchOrganisationAsync(TextWriter error, string organisation)
    {
        await error.WriteLineAsync($"calltracking: no organisation named '{organisation}' (create it with 'calltracking provision FILE').").ConfigureAwait(false);
        return CliExitCodes.Config;
    }
}
