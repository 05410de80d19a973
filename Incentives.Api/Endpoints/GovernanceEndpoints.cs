using Incentives.Api.Idempotency;
using Incentives.Api.OpenApi;
using Incentives.Api.Security;
using Incentives.Governance;
using Incentives.Ledger;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace Incentives.Api.Endpoints;

/// <summary>The governance loop (docs/governance.md): the review queue (审核), the posting board (公示栏) with
/// objections and decisions, appeals (复核). Every step is a command through the engine's writer, with an
/// Idempotency-Key, recorded under the caller's staff id.</summary>
internal static class GovernanceEndpoints
{
    private static readonly RecordStatus[] Open = [RecordStatus.Submitted, RecordStatus.Pending, RecordStatus.Objected];

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/communities/{id}/records", Results<Ok<IReadOnlyList<RecordView>>, ProblemHttpResult> (string id, string? status, int? limit, HttpContext http,
            IncentivesEngine e) =>
        {
            if (!CommunityId.TryParse(id, out _) || !e.GetCommunities().Any(c => c.Id.Value == id))
            {
                return Problems.NotFound("id", $"no community '{id}'", $"社区 '{id}' 不存在");
            }

            if (Guard.Community(http.Caller(), id) is { } forbidden)
            {
                return forbidden;
            }

            var statuses = Open.ToList();
            if (!string.IsNullOrEmpty(status))
            {
                statuses.Clear();
                foreach (var s in status.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    if (!Enum.TryParse<RecordStatus>(s, ignoreCase: true, out var parsed) || int.TryParse(s, out _))
                    {
                        return Problems.BadRequest("status", $"'{s}' is not a record status: submitted, pending, objected, confirmed, rejected, voided",
                            $"'{s}' 不是记录状态: submitted, pending, objected, confirmed, rejected, voided");
                    }

                    statuses.Add(parsed);
                }
            }

            if (limit is < 1 or > IncentivesEngine.MaxGovernanceList)
            {
                return Problems.BadRequest("limit", $"limit is 1–{IncentivesEngine.MaxGovernanceList}", $"limit 须为 1–{IncentivesEngine.MaxGovernanceList}");
            }

            var names = GovernanceAccess.Names(http.Caller(), http.RequestServices.GetRequiredService<StaffDirectory>());
            return TypedResults.Ok<IReadOnlyList<RecordView>>([.. e.GetGovernanceRecords(new CommunityId(id), statuses, limit ?? 100)
                .Select(r => GovernanceViews.Of(r, e.Catalog, e.GetResident(r.Resident)?.DisplayName ?? string.Empty, names, e))]);
        }).Allow(Role.Admin, Role.Staff).ProducesProblems(403, 404, 503).WithTags("Governance");

        api.MapGet("/residents/{id}/records", Results<Ok<IReadOnlyList<RecordView>>, ProblemHttpResult> (string id, HttpContext http, IncentivesEngine e, Guard guard) =>
        {
            var (resident, problem) = guard.Resident(http.Caller(), id, "records");
            return problem ?? (Results<Ok<IReadOnlyList<RecordView>>, ProblemHttpResult>)TypedResults.Ok<IReadOnlyList<RecordView>>(
                [.. e.GetGovernanceRecordsOf(resident!.Id).Select(r => GovernanceViews.Of(r, e.Catalog, resident.DisplayName, GovernanceAccess.Names(http.Caller(), http.RequestServices.GetRequiredService<StaffDirectory>()), e))]);
        }).Allow(Role.Admin, Role.Staff, Role.Kiosk).ProducesProblems(403, 404, 503).WithTags("Governance");

        api.MapGet("/records/{recordId:long}", Results<Ok<RecordView>, ProblemHttpResult> (long recordId, HttpContext http, IncentivesEngine e, Guard guard) =>
        {
            var (record, resident, problem) = Find(recordId, http, e, guard, read: true);
            return problem ?? (Results<Ok<RecordView>, ProblemHttpResult>)TypedResults.Ok(GovernanceViews.Of(record!, e.Catalog, resident!.DisplayName, GovernanceAccess.Names(http.Caller(), http.RequestServices.GetRequiredService<StaffDirectory>()), e));
        }).Allow(Role.Admin, Role.Staff, Role.Kiosk).ProducesProblems(403, 404, 503).WithTags("Governance");

        api.MapPost("/records/{recordId:long}/approval", (long recordId, HttpContext http, IncentivesEngine e, Guard guard) =>
            Step(recordId, http, e, guard, GovernanceAccess.Reviewer, (caller, key) => e.ApproveAsync(new ReviewRequest(recordId, GovernanceAccess.Actor(caller), key))))
            .Allow(Role.Admin, Role.Staff).Idempotency(IdempotencyPolicy.Required).ProducesProblems(403, 404, 409, 503, 507).WithTags("Governance");

        api.MapPost("/records/{recordId:long}/rejection", (long recordId, ReasonBody? body, HttpContext http, IncentivesEngine e, Guard guard) =>
            Step(recordId, http, e, guard, GovernanceAccess.Reviewer, (caller, key) => e.RejectAsync(new ReviewRequest(recordId, GovernanceAccess.Actor(caller), key, body?.Reason ?? string.Empty))))
            .Allow(Role.Admin, Role.Staff).Idempotency(IdempotencyPolicy.Required).ProducesProblems(403, 404, 409, 503, 507).WithTags("Governance");

        // Any signed-in resident of the community (at a kiosk of one of its stores) or staff member may object.
        api.MapPost("/records/{recordId:long}/objections", (long recordId, ReasonBody? body, HttpContext http, IncentivesEngine e, Guard guard) =>
            Step(recordId, http, e, guard, null, (caller, key) => e.ObjectAsync(new ObjectionRequest(recordId, GovernanceAccess.Actor(caller), body?.Reason ?? string.Empty, key)),
                neighbours: true))
            .Allow(Role.Admin, Role.Staff, Role.Kiosk).Idempotency(IdempotencyPolicy.Required).ProducesProblems(403, 404, 409, 503, 507).WithTags("Governance");

        api.MapPost("/records/{recordId:long}/decision", (long recordId, ObjectionDecisionBody body, HttpContext http, IncentivesEngine e, Guard guard) =>
            Step(recordId, http, e, guard, GovernanceAccess.Manager,
                (caller, key) => e.DecideObjectionAsync(new ObjectionDecisionRequest(recordId, body.Confirm, body.Reason ?? string.Empty, GovernanceAccess.Actor(caller), key))))
            .Allow(Role.Admin, Role.Staff).Idempotency(IdempotencyPolicy.Required).ProducesProblems(403, 404, 409, 503, 507).WithTags("Governance");

        api.MapGet("/communities/{id}/board", Results<Ok<BoardView>, ProblemHttpResult> (string id, HttpContext http, IncentivesEngine e, IClock clock) =>
        {
            var caller = http.Caller();
            var allowed = caller.Role == Role.Admin || (caller.Role == Role.Staff && caller.Scope == id)
                || (caller.Role == Role.Kiosk && e.GetStore(caller.Store!.Value)?.Community.Value == id);
            return !allowed ? Problems.Forbidden("this community is outside your scope", "该社区不在您的权限范围内")
                : Board(id, e, clock.GetCurrentInstant(), withIds: true) is { } board ? TypedResults.Ok(board) : Problems.NotFound("id", $"no community '{id}'", $"社区 '{id}' 不存在");
        }).Allow(Role.Admin, Role.Staff, Role.Kiosk).ProducesProblems(403, 404, 503).WithTags("Governance");

        // The public board for a screen in the community hall: no key, nothing personal (masked names, no ids).
        api.MapGet("/board/{id}", Results<Ok<BoardView>, ProblemHttpResult> (string id, IncentivesEngine e, IClock clock) =>
            CommunityId.TryParse(id, out _) && Board(id, e, clock.GetCurrentInstant(), withIds: false) is { } board
                ? TypedResults.Ok(board)
                : Problems.NotFound("id", $"no community '{id}'", $"社区 '{id}' 不存在"))
            .ProducesProblems(404, 503).WithTags("Governance");

        api.MapPost("/residents/{id}/appeals", async Task<Results<Created<AppealView>, ProblemHttpResult>> (string id, AppealBody body, HttpContext http, IncentivesEngine e,
            Guard guard, IClock clock) =>
        {
            var (resident, problem) = guard.Resident(http.Caller(), id, "appeal", read: false);
            if (problem is not null)
            {
                return problem;
            }

            var result = await e.AppealAsync(new AppealRequest(resident!.Id, body.EntryId, body.CreditRecordId, body.Reason ?? string.Empty,
                GovernanceAccess.Actor(http.Caller()), Parse.Key(http)));
            return result.Value is { } appeal
                ? TypedResults.Created($"/api/v1/appeals/{appeal.Id}", GovernanceViews.Of(appeal, clock.GetCurrentInstant(), resident.DisplayName, GovernanceAccess.Names(http.Caller(), http.RequestServices.GetRequiredService<StaffDirectory>())))
                : Problems.From(result.Refusal!);
        }).Allow(Role.Admin, Role.Staff, Role.Kiosk).Idempotency(IdempotencyPolicy.Required).ProducesProblems(403, 404, 409, 422, 503, 507).WithTags("Governance");

        api.MapGet("/residents/{id}/appeals", Results<Ok<IReadOnlyList<AppealView>>, ProblemHttpResult> (string id, HttpContext http, IncentivesEngine e, Guard guard, IClock clock) =>
        {
            var (resident, problem) = guard.Resident(http.Caller(), id, "appeals");
            var now = clock.GetCurrentInstant();
            return problem ?? (Results<Ok<IReadOnlyList<AppealView>>, ProblemHttpResult>)TypedResults.Ok<IReadOnlyList<AppealView>>(
                [.. e.GetAppealsOf(resident!.Id).Select(a => GovernanceViews.Of(a, now, resident.DisplayName, GovernanceAccess.Names(http.Caller(), http.RequestServices.GetRequiredService<StaffDirectory>())))]);
        }).Allow(Role.Admin, Role.Staff, Role.Kiosk).ProducesProblems(403, 404, 503).WithTags("Governance");

        api.MapGet("/communities/{id}/appeals", Results<Ok<IReadOnlyList<AppealView>>, ProblemHttpResult> (string id, bool? open, HttpContext http, IncentivesEngine e, IClock clock) =>
        {
            if (!CommunityId.TryParse(id, out _) || !e.GetCommunities().Any(c => c.Id.Value == id))
            {
                return Problems.NotFound("id", $"no community '{id}'", $"社区 '{id}' 不存在");
            }

            if (Guard.Community(http.Caller(), id) is { } forbidden)
            {
                return forbidden;
            }

            var now = clock.GetCurrentInstant();
            AppealStatus[] statuses = open == false ? Enum.GetValues<AppealStatus>() : [AppealStatus.Open];
            return TypedResults.Ok<IReadOnlyList<AppealView>>([.. e.GetAppeals(new CommunityId(id), statuses).Select(a => GovernanceViews.Of(a, now, e.GetResident(a.Resident)?.DisplayName, GovernanceAccess.Names(http.Caller(), http.RequestServices.GetRequiredService<StaffDirectory>())))]);
        }).Allow(Role.Admin, Role.Staff).ProducesProblems(403, 404, 503).WithTags("Governance");

        api.MapPost("/appeals/{appealId:long}/decision", async Task<Results<Ok<AppealView>, ProblemHttpResult>> (long appealId, AppealDecisionBody body, HttpContext http,
            IncentivesEngine e, Guard guard, IClock clock) =>
        {
            if (e.GetAppeal(appealId) is not { } appeal)
            {
                return Problems.NotFound("appealId", $"no appeal {appealId}", $"复核申请 {appealId} 不存在");
            }

            var (_, problem) = guard.Resident(http.Caller(), appeal.Resident.Value, "appeal", read: false);
            if ((problem ?? GovernanceAccess.Manager(http.Caller())) is { } refused)
            {
                return refused;
            }

            if (!Enum.TryParse<AppealStatus>(body.Outcome, ignoreCase: true, out var outcome) || outcome == AppealStatus.Open || int.TryParse(body.Outcome, out _))
            {
                return Problems.BadRequest("outcome", "the outcome is upheld, reduced or voided", "复核结果须为 upheld (维持), reduced (减轻) 或 voided (撤销)");
            }

            if (body.ReducedTo is { } to && (outcome != AppealStatus.Reduced || to < 1))
            {
                return Problems.BadRequest("reducedTo", "reducedTo is the new size of a reduced deduction (1 or more), given with outcome 'reduced' only",
                    "reducedTo 为减轻后的分值 (不小于 1), 仅在结果为 reduced (减轻) 时填写");
            }

            var result = await e.DecideAppealAsync(new AppealDecisionRequest(appealId, outcome, body.Reason ?? string.Empty, GovernanceAccess.Actor(http.Caller()),
                Parse.Key(http), body.ReducedTo));
            return result.Value is { } decided ? TypedResults.Ok(GovernanceViews.Of(decided, clock.GetCurrentInstant(), e.GetResident(decided.Resident)?.DisplayName, GovernanceAccess.Names(http.Caller(), http.RequestServices.GetRequiredService<StaffDirectory>()))) : Problems.From(result.Refusal!);
        }).Allow(Role.Admin, Role.Staff).Idempotency(IdempotencyPolicy.Required).ProducesProblems(403, 404, 409, 422, 503, 507).WithTags("Governance");
    }

    private static BoardView? Board(string id, IncentivesEngine e, Instant now, bool withIds)
    {
        if (e.GetCommunities().FirstOrDefault(c => c.Id.Value == id) is not { } community)
        {
            return null;
        }

        var items = e.GetGovernanceRecords(community.Id, [RecordStatus.Pending, RecordStatus.Objected], IncentivesEngine.MaxGovernanceList)
            .Where(r => r.PostingEndsAt is not null)
            .Select(r => GovernanceViews.Board(r, e.Catalog, e.GetResident(r.Resident)?.DisplayName ?? "?", community.TimeZone, withIds))
            .ToList();
        return new BoardView(community.Id.Value, community.Name, now, items);
    }

    private static (GovernanceRecord? Record, Resident? Resident, ProblemHttpResult? Problem) Find(long recordId, HttpContext http, IncentivesEngine e, Guard guard, bool read,
        bool neighbours = false)
    {
        if (e.GetGovernanceRecord(recordId) is not { } record)
        {
            return (null, null, Problems.NotFound("recordId", $"no record {recordId} in the review loop", $"审核公示记录 {recordId} 不存在"));
        }

        var caller = http.Caller();
        if (neighbours && caller.Role == Role.Kiosk)
        {
            // A resident signed in at a kiosk of the record's community may object to any of its postings.
            var store = e.GetStore(caller.Store!.Value);
            return caller.Resident is null
                ? (null, null, Problems.Forbidden("the resident must sign in at this kiosk first", "请先刷卡登录"))
                : store?.Community != record.Community
                    ? (null, null, Problems.Forbidden("this record is of another community", "该记录不属于本社区"))
                    : (record, e.GetResident(record.Resident), null);
        }

        var (resident, problem) = guard.Resident(caller, record.Resident.Value, "record", read);
        return (record, resident, problem);
    }

    private static async Task<Results<Ok<RecordView>, ProblemHttpResult>> Step(long recordId, HttpContext http, IncentivesEngine e, Guard guard,
        Func<Caller, ProblemHttpResult?>? role, Func<Caller, string, Task<Ledger.CommandResult<GovernanceRecord>>> act, bool neighbours = false)
    {
        var (_, resident, problem) = Find(recordId, http, e, guard, read: false, neighbours);
        var caller = http.Caller();
        if ((problem ?? role?.Invoke(caller)) is { } refused)
        {
            return refused;
        }

        var result = await act(caller, Parse.Key(http));
        if (result.Value is { } other && caller.Role == Role.Kiosk && caller.Resident != other.Resident)
        {
            return TypedResults.Ok(GovernanceViews.ForNeighbour(other, e.Catalog, resident!.DisplayName));
        }

        return result.Value is { } record
            ? TypedResults.Ok(GovernanceViews.Of(record, e.Catalog, resident!.DisplayName, GovernanceAccess.Names(caller, http.RequestServices.GetRequiredService<StaffDirectory>()), e))
            : Problems.From(result.Refusal!);
    }
}
