using Npgsql;

namespace CallTracking.Engine.Storage;

/// <summary>
/// Attributes a starting call (issue 7: the visitor session or source that produced it) inside the transaction
/// that writes <c>call.started</c>, after the call row exists: writes <c>call_attributions</c> and returns the
/// payload JSON of the <c>call.attributed</c> event to add after <c>call.started</c>, or null when the call is
/// not attributed. Runs under a savepoint: a database failure here loses the attribution, never the call.
/// </summary>
public delegate Task<string?> CallAttribution(NpgsqlConnection connection, NpgsqlTransaction transaction, CallStarted call, CancellationToken cancellationToken);
