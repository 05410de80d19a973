using System.Collections.Concurrent;
using System.Security.Cryptography;
using Incentives.Ledger;
using NodaTime;

namespace Incentives.Api.Security;

/// <summary>Short-lived resident sessions at a kiosk, after card number + PIN. Kept in memory: a restart signs
/// everyone out, which is what a kiosk should do anyway.</summary>
internal sealed class KioskSessions(IClock clock)
{
    public static readonly Duration Lifetime = Duration.FromMinutes(10);

    private readonly ConcurrentDictionary<string, (ResidentId Resident, string Store, Instant ExpiresAt)> _sessions = new();

    public (string Token, Instant ExpiresAt) Open(ResidentId resident, string store)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var expires = clock.GetCurrentInstant() + Lifetime;
        _sessions[token] = (resident, store, expires);
        return (token, expires);
    }

    public ResidentId? Resolve(string token, string store)
    {
        if (_sessions.TryGetValue(token, out var s) && s.Store == store && s.ExpiresAt > clock.GetCurrentInstant())
        {
            return s.Resident;
        }

        _sessions.TryRemove(token, out _);
        return null;
    }

    public void Close(string token) => _sessions.TryRemove(token, out _);
}
