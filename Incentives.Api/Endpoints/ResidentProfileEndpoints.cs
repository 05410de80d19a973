using Incentives.Api.Idempotency;
using Incentives.Api.OpenApi;
using Incentives.Api.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace Incentives.Api.Endpoints;

/// <summary>
/// A resident's contact details at the desk (issue 14, docs/residents.md): read, replace, erase their building (楼栋),
/// grid (网格) and phone. Kept in api.db (<see cref="ResidentProfiles"/>), not the ledger, so they can be corrected or
/// erased; the admin and the staff of the resident's community only.
/// </summary>
internal static class ResidentProfileEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        // Contact details live in api.db, not the ledger, so they can be corrected or erased (docs/residents.md). The
        // phone is shown in full here only, to the staff of the resident's community (and the admin); every read is logged.
        api.MapGet("/residents/{id}/profile", Results<Ok<ResidentProfileView>, ProblemHttpResult> (string id, HttpContext http, Guard guard, ApiStore store) =>
        {
            var (resident, problem) = guard.Resident(http.Caller(), id, "profile");
            if (problem is not null)
            {
                return problem;
            }

            return TypedResults.Ok(ProfileView(resident!.Id.Value, ResidentProfiles.Of(store, resident.Id.Value)));
        }).Allow(Role.Admin, Role.Staff).ProducesProblems(403, 404, 503).WithTags("Residents");

        api.MapPut("/residents/{id}/profile", Results<Ok<ResidentProfileView>, ProblemHttpResult> (string id, ResidentProfileBody body, HttpContext http, Guard guard,
            ApiStore store, IClock clock) =>
        {
            var (value, bad) = ResidentProfiles.Check(body.Building, body.Grid, body.Phone);
            if (bad is not null)
            {
                return bad;
            }

            // An empty body must not erase anything by accident: erasing is its own request (DELETE).
            if (value is (null, null, null))
            {
                return Problems.BadRequest("building", "give at least one of building, grid and phone; to erase the contact details, DELETE the profile",
                    "请至少填写楼栋 (building)、网格 (grid)、电话 (phone) 之一; 如需删除联系信息, 请使用删除");
            }

            // Also for an inactive resident: staff may still need to reach someone who moved away, and correct the details.
            var (resident, problem) = guard.Resident(http.Caller(), id, "profile", read: false);
            if (problem is not null)
            {
                return problem;
            }

            var saved = ResidentProfiles.Save(store, resident!.Id.Value, resident.Community.Value, value, http.Caller().KeyId, clock.GetCurrentInstant());
            return TypedResults.Ok(ProfileView(resident.Id.Value, saved));
        }).Allow(Role.Admin, Role.Staff).Idempotency(IdempotencyPolicy.Honoured).ProducesProblems(403, 404, 503, 507).WithTags("Residents");

        // Erasure: only the contact details go; the ledger (whose ID number is only an HMAC) is untouched.
        api.MapDelete("/residents/{id}/profile", Results<NoContent, ProblemHttpResult> (string id, HttpContext http, Guard guard, ApiStore store, IClock clock) =>
        {
            var (resident, problem) = guard.Resident(http.Caller(), id, "profile", read: false);
            if (problem is not null)
            {
                return problem;
            }

            ResidentProfiles.Save(store, resident!.Id.Value, resident.Community.Value, (null, null, null), http.Caller().KeyId, clock.GetCurrentInstant());
            return TypedResults.NoContent();
        }).Allow(Role.Admin, Role.Staff).Idempotency(IdempotencyPolicy.Honoured).ProducesProblems(403, 404, 503, 507).WithTags("Residents");
    }

    private static ResidentProfileView ProfileView(string resident, ResidentProfileDoc? doc) =>
        new(resident, doc?.Building, doc?.Grid, doc?.Phone, doc is null ? null : Instant.FromUnixTimeTicks(doc.UpdatedAt));
}
