using Incentives.Api.Idempotency;
using Incentives.Api.OpenApi;
using Incentives.Api.Security;
using Incentives.Catalog;
using Incentives.Credit;
using Incentives.Ledger;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace Incentives.Api.Endpoints;

/// <summary>Credit, benefits and eligibility, for staff, kiosks and partner systems (read-only, tier only).</summary>
internal static class CreditEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        // Partners get the same without the score: the document lists both bodies of the 200.
        api.MapGet("/credit/{residentId}", Results<Ok<CreditView>, Ok<PartnerCreditView>, ProblemHttpResult> (string residentId, string? asOf, HttpContext http,
            IncentivesEngine e, Guard guard) =>
        {
            if (!Parse.Instant(asOf, out var when))
            {
                return Problems.BadRequest("asOf", "'asOf' must be an ISO-8601 instant");
            }

            var caller = http.Caller();
            Resident? resident;
            if (caller.Role == Role.Partner)
            {
                resident = ResidentId.TryParse(residentId, out _) ? e.GetResident(new ResidentId(residentId)) : null;
                if (resident is null)
                {
                    return Problems.NotFound("residentId", $"no resident '{residentId}'");
                }

                guard.LogPartnerRead(caller, resident.Id, "credit");
            }
            else
            {
                var (r, problem) = guard.Resident(caller, residentId, "credit");
                if (problem is not null)
                {
                    return problem;
                }

                resident = r!;
            }

            var s = e.GetCredit(resident.Id, when)!;
            return caller.Role == Role.Partner
                ? TypedResults.Ok(new PartnerCreditView(residentId, s.Rated, s.Tier, s.AsOf))
                : TypedResults.Ok(new CreditView(residentId, s.Rated, s.Tier, s.Score, s.AsOf));
        }).Allow(Role.Admin, Role.Staff, Role.Kiosk, Role.Partner).ProducesProblems(403, 404, 503).WithTags("Credit");

        api.MapPost("/credit/lookup", Results<Ok<CreditLookupView>, ProblemHttpResult> (CreditLookupBody body, HttpContext http, IncentivesEngine e, ApiStore store,
            Secrets secrets, Guard guard, IClock clock) =>
        {
            if (string.IsNullOrWhiteSpace(body.IdNumber))
            {
                return Problems.BadRequest("idNumber", "idNumber is required");
            }

            var asOf = body.AsOf ?? clock.GetCurrentInstant();
            if (store.ResidentOfIdNumber(secrets.HashIdNumber(body.IdNumber)) is not { } link)
            {
                return TypedResults.Ok(new CreditLookupView(false, false, null, asOf));
            }

            var resident = new ResidentId(link);
            guard.LogPartnerRead(http.Caller(), resident, "credit lookup");
            var s = e.GetCredit(resident, asOf)!;
            return TypedResults.Ok(new CreditLookupView(true, s.Rated, s.Tier, asOf));
        }).Allow(Role.Admin, Role.Partner).Idempotency(IdempotencyPolicy.ReadOnly).ProducesProblems(503).WithTags("Credit");

        api.MapGet("/benefits", (IncentivesEngine e) => TypedResults.Ok<IReadOnlyList<BenefitPolicy>>(e.Catalog.Benefits))
            .Allow(Role.Admin, Role.Staff, Role.Kiosk, Role.Partner).WithTags("Benefits");

        api.MapPost("/benefits/{code}/eligibility", async Task<Results<Ok<EligibilityView>, ProblemHttpResult>> (string code, EligibilityBody body, HttpContext http,
            IncentivesEngine e, Guard guard, ApiStore store, Secrets secrets) =>
        {
            var (resident, problem) = Identify(body, http.Caller(), e, guard, store, secrets);
            if (problem is not null)
            {
                return problem;
            }

            var result = await e.DecideEligibilityAsync(code, resident!.Value, body.AsOf);
            return result.Value is { } d ? TypedResults.Ok(Views.Of(d, http.Caller().Role == Role.Partner)) : Problems.From(result.Refusal!);
        }).Allow(Role.Admin, Role.Staff, Role.Partner).Idempotency(IdempotencyPolicy.Honoured).ProducesProblems(403, 404, 409, 503, 507).WithTags("Benefits");

        api.MapPost("/benefits/{code}/eligibility/batch", async Task<Results<Ok<EligibilityBatchView>, ProblemHttpResult>> (string code, EligibilityBatchBody body,
            HttpContext http, IncentivesEngine e, Guard guard, ApiStore store, Secrets secrets) =>
        {
            if (body.Residents is null || body.Residents.Count is 0 or > IncentivesEngine.MaxEligibilityBatch)
            {
                return Problems.BadRequest("residents", $"between 1 and {IncentivesEngine.MaxEligibilityBatch} residents per call");
            }

            // An unknown resident id gets a decision that says so (the engine's), not a 404 for the whole batch; ID
            // numbers and, for staff, the community scope are still checked here.
            var caller = http.Caller();
            var ids = new List<ResidentId>(body.Residents.Count);
            foreach (var item in body.Residents)
            {
                if (caller.Role != Role.Staff && string.IsNullOrWhiteSpace(item.IdNumber) && item.ResidentId is { } known && ResidentId.TryParse(known, out _))
                {
                    ids.Add(new ResidentId(known));
                    if (caller.Role == Role.Partner)
                    {
                        guard.LogPartnerRead(caller, new ResidentId(known), "eligibility");
                    }

                    continue;
                }

                var (resident, problem) = Identify(item, caller, e, guard, store, secrets);
                if (problem is not null)
                {
                    return problem;
                }

                ids.Add(resident!.Value);
            }

            var result = await e.DecideEligibilityBatchAsync(code, ids, body.AsOf);
            var partner = http.Caller().Role == Role.Partner;
            return result.Value is { } b
                ? TypedResults.Ok(new EligibilityBatchView(b.Decisions.Select(d => Views.Of(d, partner)).ToList()))
                : Problems.From(result.Refusal!);
        }).Allow(Role.Admin, Role.Staff, Role.Partner).Idempotency(IdempotencyPolicy.Honoured).ProducesProblems(403, 404, 409, 503, 507).WithTags("Benefits");

        api.MapGet("/eligibility-decisions/{id}", Results<Ok<EligibilityView>, ProblemHttpResult> (string id, HttpContext http, IncentivesEngine e) =>
        {
            var caller = http.Caller();
            if (e.GetEligibilityDecision(id) is not { } d)
            {
                return Problems.NotFound("id", $"no decision '{id}'");
            }

            if (caller.Role == Role.Staff && e.GetResident(d.Resident)?.Community != caller.Community)
            {
                return Problems.Forbidden("this decision is about a resident outside your scope");
            }

            return TypedResults.Ok(Views.Of(d, caller.Role == Role.Partner));
        }).Allow(Role.Admin, Role.Staff, Role.Partner).ProducesProblems(403, 404, 503).WithTags("Benefits");

        api.MapGet("/volunteers/{residentId}/stars", Results<Ok<StarsView>, ProblemHttpResult> (string residentId, HttpContext http, IncentivesEngine e,
            Guard guard) =>
        {
            var (resident, problem) = guard.Resident(http.Caller(), residentId, "stars");
            if (problem is not null)
            {
                return problem;
            }

            var s = e.GetVolunteerStanding(resident!.Id)!;
            return TypedResults.Ok(new StarsView(residentId, s.Hours, s.Stars, s.Reached));
        }).Allow(Role.Admin, Role.Staff, Role.Kiosk).ProducesProblems(403, 404, 503).WithTags("Credit");
    }

    // Partners name residents by ID number (kept only as an HMAC) or by id; staff only within their community.
    private static (ResidentId? Resident, ProblemHttpResult? Problem) Identify(EligibilityBody body, Caller caller, IncentivesEngine e, Guard guard, ApiStore store,
        Secrets secrets)
    {
        ResidentId id;
        if (!string.IsNullOrWhiteSpace(body.IdNumber))
        {
            if (store.ResidentOfIdNumber(secrets.HashIdNumber(body.IdNumber)) is not { } link)
            {
                return (null, Problems.NotFound("idNumber", "no resident with this ID number", "没有此证件号的居民"));
            }

            id = new ResidentId(link);
        }
        else if (body.ResidentId is { } r && ResidentId.TryParse(r, out _) && e.GetResident(new ResidentId(r)) is not null)
        {
            id = new ResidentId(r);
        }
        else
        {
            return (null, body.ResidentId is null ? Problems.BadRequest("residentId", "residentId or idNumber is required") : Problems.NotFound("residentId", $"no resident '{body.ResidentId}'"));
        }

        if (caller.Role == Role.Partner)
        {
            guard.LogPartnerRead(caller, id, "eligibility");
            return (id, null);
        }

        var (_, problem) = guard.Resident(caller, id.Value, "eligibility");
        return problem is null ? (id, null) : (null, problem);
    }
}
