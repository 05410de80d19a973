using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using NodaTime;

namespace Incentives.Api.Security;

/// <summary>
/// Signed-in staff members, by session cookie. Kept in memory like <see cref="KioskSessions"/>: a restart signs everyone
/// out, and nothing a stolen database holds opens a session. Only the SHA-256 of each token is kept, so a memory dump
/// does not hand out live cookies either. A session ends after <see cref="IdleTimeout"/> without a request (each
/// request renews it) and, renewed or not, <see cref="AbsoluteTimeout"/> after sign-in: a desk left signed in overnight
/// is signed out by morning.
/// </summary>
internal sealed class StaffSessions(IClock clock)
{
    /// <summary>The cookie carrying the token: HttpOnly, SameSite=Strict, Path=/ (<see cref="CookieOptions"/>).</summary>
    public const string Cookie = "incentives_staff";

    public static readonly Duration IdleTimeout = Duration.FromMinutes(20);
    public static readonly Duration AbsoluteTimeout = Duration.FromHours(12);

    // Past this many sessions, ended ones are swept on sign-in; below it they go when next presented.
    private const int SweepAbove = 10_000;

    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    /// <summary>A new session for the member; the token goes into the cookie and nowhere else.</summary>
    public string Open(StaffMember member)
    {
        var now = clock.GetCurrentInstant();
        if (_sessions.Count > SweepAbove)
        {
            foreach (var (hash, s) in _sessions.Where(p => Ended(p.Value, now)).ToList())
            {
                _sessions.TryRemove(KeyValuePair.Create(hash, s));
            }
        }

        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        _sessions[Hash(token)] = new Session(member, now, now);
        return token;
    }

    /// <summary>The member the token signs in, renewing the idle timeout; null for an unknown or ended session.</summary>
    public StaffMember? Resolve(string token)
    {
        var hash = Hash(token);
        var now = clock.GetCurrentInstant();
        if (!_sessions.TryGetValue(hash, out var session))
        {
            return null;
        }

        if (Ended(session, now))
        {
            _sessions.TryRemove(KeyValuePair.Create(hash, session));
            return null;
        }

        // TryUpdate, not a plain set: a sign-out racing this request must not be undone by the renewal.
        _sessions.TryUpdate(hash, session with { LastSeen = now }, session);
        return session.Member;
    }

    public void Close(string token) => _sessions.TryRemove(Hash(token), out _);

    /// <summary>Signs the member out everywhere: after a new password, old sessions must not outlive the old one.</summary>
    public void CloseAll(string staffId)
    {
        foreach (var (hash, s) in _sessions.Where(p => p.Value.Member.Id == staffId).ToList())
        {
            _sessions.TryRemove(KeyValuePair.Create(hash, s));
        }
    }

    /// <summary>The cookie's attributes: not readable by scripts, never sent by another site's page, and only over HTTPS
    /// when the desk is served over HTTPS (a plain-HTTP desk on 127.0.0.1 must still work).</summary>
    public static CookieOptions CookieOptions(HttpRequest request) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Path = "/",
        Secure = request.IsHttps,
        IsEssential = true,
    };

    private static bool Ended(Session s, Instant now) => now - s.LastSeen >= IdleTimeout || now - s.Started >= AbsoluteTimeout;

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private sealed record Session(StaffMember Member, Instant Started, Instant LastSeen);
}
