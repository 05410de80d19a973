using Incentives.Api.Idempotency;
using Incentives.Api.Security;
using Incentives.Mall;
using NodaTime;

namespace Incentives.Api.Endpoints;

/// <summary>Kiosk sign-in (card + PIN, lock-out after 5 wrong PINs for 15 minutes) and API key management.</summary>
internal static class AccessEndpoints
{
    public const int MaxFailures = 5;
    public static readonly Duration LockOut = Duration.FromMinutes(15);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/kiosk/sessions", (SessionBody body, HttpContext http, ApiStore store, KioskSessions sessions, IncentivesEngine e, IClock clock) =>
        {
            var caller = http.Caller();
            var now = clock.GetCurrentInstant();
            if (string.IsNullOrWhiteSpace(body.CardNumber) || string.IsNullOrEmpty(body.Pin))
            {
                return Problems.BadRequest(string.IsNullOrWhiteSpace(body.CardNumber) ? "cardNumber" : "pin", "card number and PIN are required");
            }

            var card = store.Cards.FindById(body.CardNumber);
            var resident = card is null ? null : e.GetResident(new Ledger.ResidentId(card.Resident));
            if (card is null || resident is null || e.GetStore(new StoreId(caller.Scope))?.Community != resident.Community)
            {
                return Problems.Unauthorized("unknown card number");
            }

            if (card.LockedUntil > now.ToUnixTimeTicks())
            {
                var until = Instant.FromUnixTimeTicks(card.LockedUntil);
                var locked = Problems.Forbidden($"this card is locked after {MaxFailures} wrong PINs until {until}");
                locked.ProblemDetails.Type = Problems.TypeBase + "card-locked";
                locked.ProblemDetails.Extensions["code"] = "card-locked";
                locked.ProblemDetails.Extensions["lockedUntil"] = until.ToString();
                locked.ProblemDetails.Extensions["messageZh"] = $"密码连续错误 {MaxFailures} 次, 卡已锁定, 请 15 分钟后再试";
                return locked;
            }

            if (!Secrets.VerifyPin(body.Pin, card.PinHash))
            {
                var failures = store.Write(() =>
                {
                    var c = store.Cards.FindById(body.CardNumber);
                    c.Failures += 1;
                    if (c.Failures >= MaxFailures)
                    {
                        c.LockedUntil = (now + LockOut).ToUnixTimeTicks();
                        c.Failures = 0;
                    }

                    store.Cards.Update(c);
                    return c.LockedUntil > now.ToUnixTimeTicks() ? MaxFailures : c.Failures;
                });
                var wrong = Problems.Unauthorized(failures >= MaxFailures ? "wrong PIN: the card is now locked for 15 minutes" : $"wrong PIN: {MaxFailures - failures} tries left");
                wrong.ProblemDetails.Type = Problems.TypeBase + (failures >= MaxFailures ? "card-locked" : "wrong-pin");
                wrong.ProblemDetails.Extensions["code"] = failures >= MaxFailures ? "card-locked" : "wrong-pin";
                wrong.ProblemDetails.Extensions["triesLeft"] = Math.Max(0, MaxFailures - failures);
                wrong.ProblemDetails.Extensions["messageZh"] = failures >= MaxFailures ? "密码错误, 卡已锁定 15 分钟" : $"密码错误, 还可尝试 {MaxFailures - failures} 次";
                return wrong;
            }

            store.Write(() =>
            {
                var c = store.Cards.FindById(body.CardNumber);
                c.Failures = 0;
                return store.Cards.Update(c);
            });
            var (token, expires) = sessions.Open(resident.Id, caller.Scope);
            return Results.Created("/api/v1/kiosk/sessions/current", new SessionView(token, resident.Id.Value, expires));
        }).Allow(Role.Kiosk).Idempotency(IdempotencyPolicy.Exempt, "a sign-in answers a new session token, which must never be stored").WithTags("Kiosk");

        api.MapDelete("/kiosk/sessions/current", (HttpContext http, KioskSessions sessions) =>
        {
            sessions.Close(http.Request.Headers[ApiKeyMiddleware.SessionHeader].ToString());
            return Results.NoContent();
        }).Allow(Role.Kiosk).Idempotency(IdempotencyPolicy.Exempt, "signing out is idempotent by nature: a repeat finds the session gone and is asked to sign in").WithTags("Kiosk");

        api.MapPost("/keys", (KeyBody body, ApiStore store, IncentivesEngine e) =>
        {
            if (!Parse.Enum<Role>(body.Role, out var role))
            {
                return Problems.BadRequest("role", "role is admin, staff, kiosk or partner");
            }

            var scope = body.Scope ?? string.Empty;
            var valid = role switch
            {
                Role.Staff => Ledger.Ids.IsValid(scope) && e.GetCommunities().Any(c => c.Id.Value == scope),
                Role.Kiosk => Ledger.Ids.IsValid(scope) && e.GetStore(new StoreId(scope)) is not null,
                Role.Partner => Ledger.Ids.IsValid(scope),
                _ => true,
            };
            if (!valid)
            {
                return Problems.BadRequest("scope", "staff keys name a community, kiosk keys a store, partner keys a name");
            }

            var (id, key) = store.CreateKey(role, scope);
            return Results.Created($"/api/v1/keys/{id}", new KeyView(id, key, role.ToString().ToLowerInvariant(), scope));
        }).Allow(Role.Admin).Idempotency(IdempotencyPolicy.Exempt, "the response carries the new key, shown once and never stored").WithTags("Keys");

        api.MapDelete("/keys/{id}", (string id, ApiStore store) =>
            store.Write(() =>
            {
                if (store.Keys.FindById(id) is not { } k)
                {
                    return Problems.NotFound("id", $"no key '{id}'");
                }

                k.Revoked = true;
                store.Keys.Update(k);
                return Results.NoContent();
            })).Allow(Role.Admin).Idempotency(IdempotencyPolicy.Honoured).WithTags("Keys");
    }
}
