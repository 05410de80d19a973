using System.Collections.Concurrent;
using System.Security.Cryptography;
using Incentives.Api.Endpoints;
using Incentives.Ledger;
using Incentives.Mall;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace Incentives.Api.Security;

/// <summary>
/// Card number + PIN at a kiosk. Five wrong PINs in a row lock the card for 15 minutes. Exact under concurrency: the
/// attempts on one card number run one at a time (check the lock, verify, count), so 64 wrong PINs sent at once check
/// exactly five PINs and find the card locked for the rest.
/// </summary>
/// <remarks>
/// A resident who is not active gets no session: only after the right PIN is the answer a 403 <c>resident-inactive</c>,
/// so it tells nothing to someone without the PIN. An unknown card number (or a card of another community) answers
/// exactly as a wrong PIN does: same status, code and message, after the same PBKDF2 work (a dummy hash is verified),
/// and its failures are counted too — in memory, so it locks after five as a real card does. The kiosk is thus no
/// oracle for which card numbers exist. Counts for unknown numbers are kept for at most <see cref="MaxTracked"/>
/// numbers; the oldest unlocked ones are forgotten first.
/// </remarks>
internal sealed class KioskSignIn(ApiStore store, IncentivesEngine engine, KioskSessions sessions, IClock clock)
{
    public const int MaxFailures = 5;
    public const int MaxTracked = 100_000;
    public static readonly Duration LockOut = Duration.FromMinutes(15);

    // A PIN nobody knows, hashed as real ones are, to spend the same time on an unknown card.
    private static readonly string DummyHash = Secrets.HashPin(Convert.ToHexString(RandomNumberGenerator.GetBytes(8)));

    private readonly SemaphoreSlim[] _gates = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();
    private readonly ConcurrentDictionary<string, Strikes> _unknown = new(StringComparer.Ordinal);

    public async Task<Results<Created<SessionView>, ProblemHttpResult>> SignInAsync(string storeId, string cardNumber, string pin, CancellationToken cancellationToken)
    {
        var gate = _gates[(int)(unchecked((uint)StringComparer.Ordinal.GetHashCode(cardNumber)) % (uint)_gates.Length)];
        await gate.WaitAsync(cancellationToken);
        try
        {
            return SignIn(storeId, cardNumber, pin);
        }
        finally
        {
            gate.Release();
        }
    }

    private Results<Created<SessionView>, ProblemHttpResult> SignIn(string storeId, string cardNumber, string pin)
    {
        var now = clock.GetCurrentInstant();
        var card = store.FindCard(cardNumber);
        var resident = card is null || !ResidentId.TryParse(card.Resident, out _) ? null : engine.GetResident(new ResidentId(card.Resident));
        var known = card is not null && resident is not null && StoreId.TryParse(storeId, out _) && engine.GetStore(new StoreId(storeId))?.Community == resident.Community;
        var lockedUntil = known ? Instant.FromUnixTimeTicks(card!.LockedUntil) : _unknown.TryGetValue(cardNumber, out var s) ? s.LockedUntil : Instant.MinValue;
        if (lockedUntil > now)
        {
            return Locked(lockedUntil);
        }

        // Always the same PBKDF2 work; an unknown card never signs in, whatever the PIN.
        var verified = Secrets.VerifyPin(pin, known ? card!.PinHash : DummyHash) && known;
        if (verified)
        {
            store.Write(() =>
            {
                var c = store.Cards.FindById(cardNumber);
                c.Failures = 0;
                return store.Cards.Update(c);
            });

            // Said only after the right PIN, so the kiosk still tells nobody which card numbers exist or are whose;
            // the card holder, who knows the PIN, learns why and where to go.
            if (resident!.Status != ResidentStatus.Active)
            {
                return Inactive();
            }

            var (token, expires) = sessions.Open(resident.Id, storeId);
            return TypedResults.Created("/api/v1/kiosk/sessions/current", new SessionView(token, resident.Id.Value, expires));
        }

        var lockedNow = known ? CountKnown(cardNumber, now) : CountUnknown(cardNumber, now);
        return lockedNow ? WrongAndLocked() : Wrong();
    }

    private bool CountKnown(string cardNumber, Instant now) => store.Write(() =>
    {
        var c = store.Cards.FindById(cardNumber);
        c.Failures += 1;
        var locks = c.Failures >= MaxFailures;
        if (locks)
        {
            c.LockedUntil = (now + LockOut).ToUnixTimeTicks();
            c.Failures = 0;
        }

        store.Cards.Update(c);
        return locks;
    });

    // Runs under the card's gate, so the read-then-write of one number's count is not raced.
    private bool CountUnknown(string cardNumber, Instant now)
    {
        if (_unknown.Count >= MaxTracked)
        {
            Forget(now);
        }

        var strikes = _unknown.TryGetValue(cardNumber, out var s) ? s : new Strikes(0, Instant.MinValue, now);
        var failures = strikes.Failures + 1;
        var locks = failures >= MaxFailures;
        _unknown[cardNumber] = locks ? new Strikes(0, now + LockOut, now) : new Strikes(failures, strikes.LockedUntil, now);
        return locks;
    }

    private void Forget(Instant now)
    {
        var unlocked = _unknown.Where(p => p.Value.LockedUntil <= now).OrderBy(p => p.Value.LastFailure).Take(MaxTracked / 10).Select(p => p.Key).ToList();
        foreach (var number in unlocked)
        {
            _unknown.TryRemove(number, out _);
        }
    }

    /// <summary>The answer to a resident who is not active (moved away, deactivated at the desk): at sign-in after the
    /// right PIN, and to every call of a session whose resident was deactivated since (<see cref="ApiKeyMiddleware"/>).</summary>
    public static ProblemHttpResult Inactive() =>
        Problems.Make(StatusCodes.Status403Forbidden, "resident-inactive",
            "this resident's account is deactivated: no kiosk session; please ask at the community service desk", "该账户已停用, 请到社区服务台咨询", "cardNumber");

    private static ProblemHttpResult Wrong() =>
        Problems.Make(StatusCodes.Status401Unauthorized, "wrong-card-or-pin",
            $"wrong card number or PIN; after {MaxFailures} wrong PINs in a row the card is locked for 15 minutes",
            $"卡号或密码错误; 连续错误 {MaxFailures} 次将锁卡 15 分钟", "pin");

    private static ProblemHttpResult WrongAndLocked() =>
        Problems.Make(StatusCodes.Status401Unauthorized, "card-locked",
            "wrong card number or PIN: the card is now locked for 15 minutes", "卡号或密码错误, 卡已锁定 15 分钟", "pin");

    private static ProblemHttpResult Locked(Instant until)
    {
        var locked = Problems.Make(StatusCodes.Status403Forbidden, "card-locked",
            $"this card is locked for 15 minutes after {MaxFailures} wrong PINs in a row: see lockedUntil", $"密码连续错误 {MaxFailures} 次, 卡已锁定, 请 15 分钟后再试", "cardNumber");
        locked.ProblemDetails.Extensions["lockedUntil"] = until.ToString();
        return locked;
    }

    private readonly record struct Strikes(int Failures, Instant LockedUntil, Instant LastFailure);
}
