using Incentives.Api.Idempotency;
using Incentives.Api.OpenApi;
using Incentives.Api.Security;
using Incentives.Credit;
using Incentives.Ledger;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace Incentives.Api.Endpoints;

/// <summary>
/// Credit records made by hand: manual records (一事一议), direct grading (直接评级) and credit repair (信用修复). They
/// change what partners see, so they need a signed-in staff member with the manager role (or the admin key; a
/// community's shared system key cannot: docs/governance.md); each needs a reason and a document, and an
/// Idempotency-Key. A resident signed in at a kiosk may read their own records (to appeal one).
/// </summary>
internal static class CreditRecordEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/residents/{id}/credit-records", Results<Ok<IReadOnlyList<CreditRecordView>>, ProblemHttpResult> (string id, HttpContext http, IncentivesEngine e, Guard guard) =>
        {
            var (resident, problem) = guard.Resident(http.Caller(), id, "credit-records");
            return problem ?? (Results<Ok<IReadOnlyList<CreditRecordView>>, ProblemHttpResult>)TypedResults.Ok<IReadOnlyList<CreditRecordView>>(
                [.. e.GetCreditRecords(resident!.Id).Select(CreditRecordView.Of)]);
        }).Allow(Role.Admin, Role.Staff, Role.Kiosk).ProducesProblems(403, 404, 503).WithTags("Credit");

        api.MapPost("/residents/{id}/credit-records", async Task<Results<Created<CreditRecordView>, ProblemHttpResult>> (string id, ManualCreditBody body, HttpContext http,
            IncentivesEngine e, Guard guard) =>
        {
            var (resident, problem) = guard.Resident(http.Caller(), id, "credit-record", read: false);
            if ((problem ?? GovernanceAccess.Manager(http.Caller())) is { } refused)
            {
                return refused;
            }

            var result = await e.RecordCreditAsync(new ManualCreditRequest(resident!.Id, body.Delta, body.Reason ?? string.Empty, body.Document ?? string.Empty,
                http.Caller().KeyId, Parse.Key(http), body.ValidFrom, body.ValidYears));
            return Created(result);
        }).Allow(Role.Admin, Role.Staff).Idempotency(IdempotencyPolicy.Required).ProducesProblems(403, 404, 409, 422, 503, 507).WithTags("Credit");

        api.MapPost("/residents/{id}/credit-gradings", async Task<Results<Created<CreditRecordView>, ProblemHttpResult>> (string id, GradingBody body, HttpContext http,
            IncentivesEngine e, Guard guard) =>
        {
            var (resident, problem) = guard.Resident(http.Caller(), id, "credit-grading", read: false);
            if ((problem ?? GovernanceAccess.Manager(http.Caller())) is { } refused)
            {
                return refused;
            }

            var result = await e.GradeDirectlyAsync(new DirectGradingRequest(resident!.Id, body.Tier ?? string.Empty, body.Years, body.Reason ?? string.Empty,
                body.Document ?? string.Empty, http.Caller().KeyId, Parse.Key(http)));
            return Created(result);
        }).Allow(Role.Admin, Role.Staff).Idempotency(IdempotencyPolicy.Required).ProducesProblems(403, 404, 409, 422, 503, 507).WithTags("Credit");

        api.MapPost("/credit-records/{recordId:long}/repairs", async Task<Results<Created<CreditRecordView>, ProblemHttpResult>> (long recordId, RepairBody body,
            HttpContext http, IncentivesEngine e, Guard guard) =>
        {
            if (e.GetCreditRecord(recordId) is not { } target)
            {
                return Problems.NotFound("recordId", $"no credit record {recordId}", $"信用记录 {recordId} 不存在");
            }

            var (_, problem) = guard.Resident(http.Caller(), target.Resident.Value, "credit-repair", read: false);
            if ((problem ?? GovernanceAccess.Manager(http.Caller())) is { } refused)
            {
                return refused;
            }

            var result = await e.RepairCreditAsync(new CreditRepairRequest(recordId, body.NewDelta, body.NewValidTo, body.Reason ?? string.Empty,
                body.Document ?? string.Empty, http.Caller().KeyId, Parse.Key(http)));
            return Created(result);
        }).Allow(Role.Admin, Role.Staff).Idempotency(IdempotencyPolicy.Required).ProducesProblems(403, 404, 409, 422, 503, 507).WithTags("Credit");
    }

    private static Results<Created<CreditRecordView>, ProblemHttpResult> Created(CommandResult<CreditRecord> result) =>
        result.TryGetValue(out var record)
            ? TypedResults.Created($"/api/v1/residents/{record.Resident}/credit-records", CreditRecordView.Of(record))
            : Problems.From(result.Refusal!);
}

/// <summary>Body of <c>POST /residents/{id}/credit-records</c>: a manual credit record (一事一议).</summary>
/// <param name="Delta">The score change, non-zero.</param>
/// <param name="Reason">Why; required.</param>
/// <param name="Document">The document reference; required.</param>
/// <param name="ValidFrom">From when it counts; null means now.</param>
/// <param name="ValidYears">How long it counts; null uses the catalog's validity.</param>
public sealed record ManualCreditBody([property: System.ComponentModel.DataAnnotations.Range(-1000, 1000)] int Delta, string? Reason, string? Document, Instant? ValidFrom, int? ValidYears);

/// <summary>Body of <c>POST /residents/{id}/credit-gradings</c>: direct grading (直接评级).</summary>
/// <param name="Tier">The highest tier allowed while it is valid, e.g. <c>B</c>.</param>
/// <param name="Years">How long.</param>
/// <param name="Reason">Why; required.</param>
/// <param name="Document">The determination's reference; required.</param>
public sealed record GradingBody(string? Tier, int Years, string? Reason, string? Document);

/// <summary>Body of <c>POST /credit-records/{id}/repairs</c>: credit repair (信用修复), a smaller delta and/or an earlier end.</summary>
/// <param name="NewDelta">The reduced delta (same sign, no larger); null keeps it.</param>
/// <param name="NewValidTo">The earlier end; null keeps it.</param>
/// <param name="Reason">Why; required.</param>
/// <param name="Document">The repair decision's reference; required.</param>
public sealed record RepairBody([property: System.ComponentModel.DataAnnotations.Range(-1000, 1000)] int? NewDelta, Instant? NewValidTo, string? Reason, string? Document);

/// <summary>A credit record as staff see it.</summary>
public sealed record CreditRecordView(long Id, string ResidentId, [property: OneOf(typeof(CreditRecordKind))] string Kind, int Delta, string? Indicator, long? Entry,
    long? Target, string? Tier, string? Reason, string? Document, string RecordedBy, Instant RecordedAt, Instant ValidFrom, Instant ValidTo)
{
    /// <summary>The view of a record.</summary>
    public static CreditRecordView Of(CreditRecord r) =>
        new(r.Id, r.Resident.Value, r.Kind.ToString().ToLowerInvariant(), r.Delta, r.Indicator?.Value, r.Entry?.Value, r.Target, r.Tier, r.Reason, r.Document,
            r.RecordedBy, r.RecordedAt, r.ValidFrom, r.ValidTo);
}
