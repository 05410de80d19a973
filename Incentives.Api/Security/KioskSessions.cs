using System.Collections.Concurrent;
using System.Security.Cryptography;
using Incentives.Ledger;
using NodaTime;

namespace Incentives.Api.Security;

/// <summary>Short-lived resident sessions at a kiosk, after card number + PIN. Kept in memory: a restart signs
/// everyone out, which is what a kiosk should do anyway. A session of a resident found deactivated is ended
/// (<see cref="End"/>) but remembered until it would have lapsed, so every later call with it is told why
/// (<c>resident-inactive</c>) rather than "expired", and re-activating the resident does not revive it.</summary>
internal sealed class KioskSessions(IClock clock)
{
    public static readonly Duration Lifetime = Duration.FromMinutes(10);

    private readonly ConcurrentDictionary<string, Session> _sessions = new();

    public (string Token, Instant ExpiresAt) Open(ResidentId resident, string store)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var expires = clock.GetCurrentInstant() + Lifetime;
        _sessions[token] = new(resident, store, expires, Ended: false);
        return (token, expires);
    }

    /// <summary>The session's resident and whether the session was ended (<see cref="End"/>); null for an unknown,
    /// lapsed or other store's token.</summary>
    public (ResidentId Resident, bool Ended)? Resolve(string token, string store)
    {
        if (_sessions.TryGetValue(token, out var s) && s.Store == store && s.ExpiresAt > clock.GetCurrentInstant())
        {
            return (s.Resident, s.Ended);
        }

        _sessions.TryRemove(token, out _);
        return null;
    }

    /// <summary>Ends the session for good (its resident was deactivated); it is still recognised until it lapses.</summary>
    public void End(string token)
    {
        if (_sessions.TryGetValue(token, out var s))
        {
            _sessions.TryUpdate(token, s with { Ended = true }, s);
        }
    }

    public void Close(string token) => _sessions.TryRemove(token, out _);

    private sealed record Session(ResidentId Resident, string Store, Instant ExpiresAt, bool Ended);
}
