using System.Diagnostics.Metrics;
using System.Net;
using System.Security.Cryptography;
using CallTracking.Engine.Sip.Auth;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Transactions;
using CallTracking.Engine.Sip.Transport;
using CallTracking.Engine.Sip.Trunks;
using Microsoft.Extensions.Logging;

namespace CallTracking.Engine.Sip.Core;

/// <summary>Inbound digest authentication of trunks that configure credentials (RFC 3261 §22.2).</summary>
public sealed partial class SipCore
{
    private readonly DigestServer _digest;
    private readonly Counter<long> _authFailures;

    private static DigestServer NewDigestServer(TimeProvider time) =>
        // A new secret each process: nonces from before a restart are unknown and simply challenged again.
        new(RandomNumberGenerator.GetBytes(32), time);

    private static Counter<long> NewAuthFailureCounter(Meter meter) =>
        meter.CreateCounter<long>("calltracking.sip.auth_failures", "{request}", "Requests whose digest credentials were wrong");

    /// <summary>
    /// True when the INVITE carries valid credentials for <paramref name="credentials"/>; otherwise it has been
    /// answered: 401 with fresh challenges (no or unusable credentials, unknown or expired nonce), or 403 for
    /// wrong credentials on a nonce we issued.
    /// </summary>
    private bool Authenticate(SipMessage request, ServerTransaction transaction, in SipRemote source, Trunk trunk, TrunkCredentials credentials)
    {
        // The digest uri is not compared with the Request-URI: clients differ (sipp 3.6.1 sends sip:host:port
        // for sip:number@host:port), so within a nonce's lifetime a captured answer could be replayed.
        var verdict = DigestVerdict.Malformed;
        var present = false;
        // Line by line: a digest header's parameters are comma-separated, so it is not a list header.
        for (var i = request.FindHeader(HeaderKind.Authorization, 0); i >= 0; i = request.FindHeader(HeaderKind.Authorization, i + 1))
        {
            present = true;
            verdict = _digest.Verify(request.GetHeaderValue(i), "INVITE", credentials);
            if (verdict == DigestVerdict.Valid)
            {
                return true;
            }
        }

        if (present && verdict == DigestVerdict.WrongCredentials)
        {
            _authFailures.Add(1, new KeyValuePair<string, object?>("trunk", trunk.Name));
            _metrics.Rejected("auth_failed");
            LogAuthFailed(source.EndPoint, trunk.Name);
            Respond(transaction, request, source, 403, "Forbidden");
            return false;
        }

        _metrics.Rejected("unauthorized");
        Respond(transaction, request, source, 401, "Unauthorized", extraHeaders: _digest.Challenge(credentials.Realm, stale: verdict == DigestVerdict.Stale));
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused INVITE from {Source} on trunk {Trunk}: wrong digest credentials")]
    private partial void LogAuthFailed(IPEndPoint source, string trunk);
}
