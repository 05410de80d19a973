using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace Incentives.Api.Security;

/// <summary>
/// Staff id + password at the desk, with the kiosk's lock-out (<see cref="KioskSignIn"/>): five wrong passwords in a
/// row lock the account for 15 minutes, and while it is locked even the right password is refused. Attempts on one
/// id run one at a time, so concurrent guesses check exactly five passwords.
/// </summary>
/// <remarks>
/// An unknown or disabled id answers exactly as a wrong password does — same status, code and message, after the same
/// PBKDF2 work on a dummy hash — and its failures are counted in memory, so it locks after five like a real account.
/// The sign-in is thus no oracle for which staff ids exist.
/// </remarks>
internal sealed class StaffSignIn(ApiStore store, StaffSessions sessions, IClock clock)
{
    public const int MaxFailures = KioskSignIn.MaxFailures;
    public const int MaxTracked = KioskSignIn.MaxTracked;
    public static readonly Duration LockOut = KioskSignIn.LockOut;

    // A password nobody knows, hashed as real ones are, to spend the same time on an unknown id.
    private static readonly string DummyHash = Secrets.HashPassword(Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));

    private readonly SemaphoreSlim[] _gates = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();
    private readonly ConcurrentDictionary<string, Strikes> _unknown = new(StringComparer.Ordinal);

    /// <summary>The member and a new session token, or the problem to answer.</summary>
    public async Task<(StaffMember? Member, string? Token, ProblemHttpResult? Problem)> SignInAsync(string id, string password, CancellationToken cancellationToken)
    {
        var gate = _gates[(int)(unchecked((uint)StringComparer.Ordinal.GetHashCode(id)) % (uint)_gates.Length)];
        await gate.WaitAsync(cancellationToken);
        try
        {
            return SignIn(id, password);
        }
        finally
        {
            gate.Release();
        }
    }

    private (StaffMember?, string?, ProblemHttpResult?) SignIn(string id, string password)
    {
        var now = clock.GetCurrentInstant();
        var account = store.Read(() => store.Staff.FindById(id));
        var known = account is { Disabled: false };
        var lockedUntil = known ? Instant.FromUnixTimeTicks(account!.LockedUntil) : _unknown.TryGetValue(id, out var s) ? s.LockedUntil : Instant.MinValue;
        if (lockedUntil > now)
        {
            return (null, null, Locked(lockedUntil));
        }

        // Always the same PBKDF2 work; an unknown id never signs in, whatever the password.
        var verified = Secrets.VerifyPassword(password, known ? account!.PasswordHash : DummyHash) && known;
        if (verified)
        {
            store.Write(() =>
            {
                var m = store.Staff.FindById(id);
                m.Failures = 0;
                return store.Staff.Update(m);
            });
            var member = StaffAccounts.MemberOf(account!);
            return (member, sessions.Open(member), null);
        }

        var lockedNow = known ? CountKnown(id, now) : CountUnknown(id, now);
        return (null, null, lockedNow ? WrongAndLocked() : Wrong());
    }

    private bool CountKnown(string id, Instant now) => store.Write(() =>
    {
        var m = store.Staff.FindById(id);
        m.Failures += 1;
        var locks = m.Failures >= MaxFailures;
        if (locks)
        {
            m.LockedUntil = (now + LockOut).ToUnixTimeTicks();
            m.Failures = 0;
        }

        store.Staff.Update(m);
        return locks;
    });

    // Runs under the id's gate, so the read-then-write of one id's count is not raced.
    private bool CountUnknown(string id, Instant now)
    {
        if (_unknown.Count >= MaxTracked)
        {
            foreach (var old in _unknown.Where(p => p.Value.LockedUntil <= now).OrderBy(p => p.Value.LastFailure).Take(MaxTracked / 10).Select(p => p.Key).ToList())
            {
                _unknown.TryRemove(old, out _);
            }
        }

        var strikes = _unknown.TryGetValue(id, out var s) ? s : new Strikes(0, Instant.MinValue, now);
        var failures = strikes.Failures + 1;
        var locks = failures >= MaxFailures;
        _unknown[id] = locks ? new Strikes(0, now + LockOut, now) : new Strikes(failures, strikes.LockedUntil, now);
        return locks;
    }

    private static ProblemHttpResult Wrong() =>
        Problems.Make(StatusCodes.Status401Unauthorized, "wrong-staff-id-or-password",
            $"wrong staff id or password; after {MaxFailures} wrong passwords in a row the account is locked for 15 minutes",
            $"工号或密码错误; 连续错误 {MaxFailures} 次将锁定账号 15 分钟", "password");

    private static ProblemHttpResult WrongAndLocked() =>
        Problems.Make(StatusCodes.Status401Unauthorized, "account-locked",
            "wrong staff id or password: the account is now locked for 15 minutes", "工号或密码错误, 账号已锁定 15 分钟", "password");

    private static ProblemHttpResult Locked(Instant until)
    {
        var locked = Problems.Make(StatusCodes.Status403Forbidden, "account-locked",
            $"this account is locked for 15 minutes after {MaxFailures} wrong passwords in a row: see lockedUntil",
            $"密码连续错误 {MaxFailures} 次, 账号已锁定, 请 15 分钟后再试", "id");
        locked.ProblemDetails.Extensions["lockedUntil"] = until.ToString();
        return locked;
    }

    private readonly record struct Strikes(int Failures, Instant LockedUntil, Instant LastFailure);
}
