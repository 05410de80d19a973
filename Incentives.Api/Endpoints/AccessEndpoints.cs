using Incentives.Api.Idempotency;
using Incentives.Api.OpenApi;
using Incentives.Api.Security;
using Incentives.Mall;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Incentives.Api.Endpoints;

/// <summary>Kiosk sign-in (card + PIN, lock-out after 5 wrong PINs for 15 minutes: <see cref="KioskSignIn"/>) and API key management.</summary>
internal static class AccessEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        // 401 for a wrong card or PIN, 403 for a locked card (docs/api.md).
        api.MapPost("/kiosk/sessions", async Task<Results<Created<SessionView>, ProblemHttpResult>> (SessionBody body, HttpContext http, KioskSignIn signIn) =>
            string.IsNullOrWhiteSpace(body.CardNumber) || string.IsNullOrEmpty(body.Pin)
                ? Problems.BadRequest(string.IsNullOrWhiteSpace(body.CardNumber) ? "cardNumber" : "pin", "card number and PIN are required", "请输入卡号和密码")
                : await signIn.SignInAsync(http.Caller().Scope, body.CardNumber, body.Pin, http.RequestAborted))
            .Allow(Role.Kiosk).Idempotency(IdempotencyPolicy.Exempt, "a sign-in answers a new session token, which must never be stored")
            .ProducesProblems(403, 503).WithTags("Kiosk");

        api.MapDelete("/kiosk/sessions/current", (HttpContext http, KioskSessions sessions) =>
        {
            sessions.Close(http.Request.Headers[ApiKeyMiddleware.SessionHeader].ToString());
            return TypedResults.NoContent();
        }).Allow(Role.Kiosk).Idempotency(IdempotencyPolicy.Exempt, "signing out is idempotent by nature: a repeat finds the session gone and is asked to sign in").WithTags("Kiosk");

        api.MapPost("/keys", Results<Created<KeyView>, ProblemHttpResult> (KeyBody body, ApiStore store, IncentivesEngine e) =>
        {
            if (!Parse.Enum<Role>(body.Role, out var role))
            {
                return Problems.BadRequest("role", "role is admin, staff, kiosk or partner");
            }

            var scope = body.Scope ?? string.Empty;
            var valid = role switch
            {
                Role.Staff => Ledger.CommunityId.TryParse(scope, out _) && e.GetCommunities().Any(c => c.Id.Value == scope),
                Role.Kiosk => StoreId.TryParse(scope, out _) && e.GetStore(new StoreId(scope)) is not null,
                Role.Partner => Ledger.CommunityId.TryParse(scope, out _),
                _ => true,
            };
            if (!valid)
            {
                return Problems.BadRequest("scope", "staff keys name a community, kiosk keys a store, partner keys a name");
            }

            var (id, key) = store.CreateKey(role, scope);
            return TypedResults.Created($"/api/v1/keys/{id}", new KeyView(id, key, role.ToString().ToLowerInvariant(), scope));
        }).Allow(Role.Admin).Idempotency(IdempotencyPolicy.Exempt, "the response carries the new key, shown once and never stored").ProducesProblems(503).WithTags("Keys");

        api.MapDelete("/keys/{id}", Results<NoContent, ProblemHttpResult> (string id, ApiStore store) =>
                store.RevokeKey(id) ? TypedResults.NoContent() : Problems.NotFound("id", $"no key '{id}'", "密钥不存在"))
            .Allow(Role.Admin).Idempotency(IdempotencyPolicy.Honoured).ProducesProblems(404).WithTags("Keys");
    }
}
