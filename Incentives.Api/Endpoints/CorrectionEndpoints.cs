using Incentives.Api.Idempotency;
using Incentives.Api.OpenApi;
using Incentives.Api.Security;
using Incentives.Ledger;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Incentives.Api.Endpoints;

/// <summary>Corrections by staff: manual adjustments (一事一议). Reversals stay at <c>POST /entries/{id}/reversal</c>.</summary>
internal static class CorrectionEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        // Recorded by the caller: the signed-in member's staff id (or the key's id); the reason is required and shown
        // on the statement line, as is who recorded it.
        api.MapPost("/residents/{id}/adjustments", async Task<Results<Created<StatementItem>, ProblemHttpResult>> (string id, AdjustmentBody body, HttpContext http,
            IncentivesEngine e, Guard guard, StaffDirectory staff) =>
        {
            if (string.IsNullOrWhiteSpace(body.Reason))
            {
                return Problems.BadRequest("reason", "a manual adjustment needs a reason", "一事一议调整须填写原因");
            }

            if (body.Points == 0)
            {
                return Problems.BadRequest("points", "an adjustment moves a non-zero number of points", "调整分值不能为 0");
            }

            var (resident, problem) = guard.Resident(http.Caller(), id, "adjustment", read: false);
            if (problem is not null)
            {
                return problem;
            }

            var result = await e.AdjustAsync(new AdjustmentRequest(resident!.Id, body.Points, body.Reason.Trim(), http.Caller().KeyId, Parse.Key(http)));
            if (result.Value is not { } entry)
            {
                return Problems.From(result.Refusal!);
            }

            http.Response.Headers["Idempotent-Replayed"] = result.Replayed ? "true" : "false";
            return TypedResults.Created($"/api/v1/entries/{entry.Id}", Views.Of(entry, staff));
        }).Allow(Role.Admin, Role.Staff).Idempotency(IdempotencyPolicy.Required).ProducesProblems(403, 404, 409, 422, 503, 507).WithTags("Residents");
    }
}
