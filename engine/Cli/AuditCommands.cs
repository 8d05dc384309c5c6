using System.CommandLine;
using System.Globalization;
using CallTracking.Engine.Privacy;

namespace CallTracking.Engine.Cli;

/// <summary>
/// <c>calltracking audit verify | list</c>: prove the audit trail's hash chain intact (exit 0) or name the first
/// entry where it breaks (exit 65, EX_DATAERR); list entries for an operator.
/// </summary>
internal static class AuditCommands
{
    public static Command Create(Func<Option<string>> configOption, RuleCommands.WithDatabase withDatabase)
    {
        var audit = new Command("audit", "The audit trail: sign-ins, keys, playbacks and downloads, transcript views, configuration changes, pauses.");

        var verifyConfig = configOption();
        var verify = new Command("verify", """
            Walk the whole hash chain, printing progress (every 1,000 entries). Exit 0 when every entry is intact;
            exit 65 (EX_DATAERR) naming the first entry that was changed, removed or reordered.
            """);
        verify.Options.Add(verifyConfig);
        verify.SetAction((parse, ct) => withDatabase(parse, parse.GetValue(verifyConfig), async (dataSource, output, error) =>
        {
            var trail = new AuditTrail(dataSource, TimeProvider.System);
            var progress = new SynchronousProgress(count => output.WriteLine($"verified {count} entries"));
            var result = await trail.VerifyAsync(progress, ct).ConfigureAwait(false);
            if (result.Intact)
            {
                await output.WriteLineAsync($"audit trail intact: {result.Checked} entries").ConfigureAwait(false);
                return CliExitCodes.Ok;
            }

            await output.WriteLineAsync($"audit trail BROKEN at entry {result.BrokenAt}: {result.Problem} ({result.Checked} entries before it are intact)").ConfigureAwait(false);
            return CliExitCodes.DataError;
        }, ct));

        var listConfig = configOption();
        var after = new Option<long>("--after") { Description = "Only entries after this sequence number.", HelpName = "SEQ" };
        var limit = new Option<int>("--limit") { Description = "At most this many entries (default 100).", HelpName = "N", DefaultValueFactory = _ => 100 };
        var action = new Option<string>("--action") { Description = "Only this action (e.g. recording.download).", HelpName = "ACTION" };
        var list = new Command("list", "List audit entries in order: sequence, time, actor, organisation, action, subject, details.");
        list.Options.Add(after);
        list.Options.Add(limit);
        list.Options.Add(action);
        list.Options.Add(listConfig);
        list.SetAction((parse, ct) => withDatabase(parse, parse.GetValue(listConfig), async (dataSource, output, error) =>
        {
            var entries = await new AuditTrail(dataSource, TimeProvider.System).ListAsync(null, parse.GetValue(after), Math.Clamp(parse.GetValue(limit), 1, 10_000), parse.GetValue(action), ct).ConfigureAwait(false);
            foreach (var entry in entries)
            {
                await output.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{entry.Sequence,6} {entry.OccurredAt.UtcDateTime:yyyy-MM-dd HH:mm:ss.ffffff'Z'} {entry.Actor,-22} {entry.OrganisationId?.ToString("D") ?? "-",-36} {entry.Action,-24} {entry.Subject} {entry.Details}")).ConfigureAwait(false);
            }

            return CliExitCodes.Ok;
        }, ct));

        audit.Subcommands.Add(verify);
        audit.Subcommands.Add(list);
        return audit;
    }

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool and print out of order).</summary>
    private sealed class SynchronousProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
