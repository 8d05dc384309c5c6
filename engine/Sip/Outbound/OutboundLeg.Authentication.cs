using CallTracking.Engine.Sip.Auth;
using System.Text;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Transactions;

namespace CallTracking.Engine.Sip.Outbound;

public sealed partial class OutboundLeg
{
    /// <summary>RFC 3261 §22.2/§22.3: answer a 401/407 once per realm with the route's credentials.</summary>
    private bool TryBuildAuthorization(int statusCode, SipMessage response, out string authorization)
    {
        authorization = string.Empty;
        Route route;
        Attempt? attempt;
        lock (_lock)
        {
            route = _routes[_routeIndex];
            attempt = _attempt;
        }

        if (route.Trunk is not { HasCredentials: true } trunk || attempt is null)
        {
            return false;
        }

        var kind = statusCode == 407 ? HeaderKind.ProxyAuthenticate : HeaderKind.WwwAuthenticate;
        DigestChallenge? chosen = null;
        for (var i = response.FindHeader(kind, 0); i >= 0; i = response.FindHeader(kind, i + 1))
        {
            if (DigestChallenge.TryParse(response.GetHeaderValue(i), out var challenge)
                && (chosen is null || challenge!.Algorithm is DigestAlgorithm.Sha256 or DigestAlgorithm.Sha256Session))
            {
                chosen = challenge;
            }
        }

        if (chosen is null)
        {
            return false;
        }

        lock (_lock)
        {
            // The same realm challenging again means the credentials are wrong (unless the nonce was only stale).
            if (!_answeredRealms.Add(statusCode + chosen.Realm) && !chosen.Stale)
            {
                return false;
            }
        }

        var header = statusCode == 407 ? "Proxy-Authorization: " : "Authorization: ";
        authorization = header + DigestAuthenticator.BuildCredentials(chosen, trunk.Username!, trunk.Password!, "INVITE", attempt.RequestUri, _dialer.Ids.NewTag(), 1);
        return true;
    }
}
