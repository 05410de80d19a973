using Incentives.Api.Idempotency;
using Incentives.Api.OpenApi;
using Incentives.Api.Security;
using Incentives.Catalog;
using Incentives.Ledger;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace Incentives.Api.Endpoints;

/// <summary>Catalog, communities, residents, awards, reversals and statements.</summary>
internal static class LedgerEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/catalog", (IncentivesEngine e) => TypedResults.Ok(Views.Of(e.Catalog)))
            .Allow(Role.Admin, Role.Staff, Role.Kiosk).WithTags("Catalog");
        api.MapGet("/catalog/{hash}", Results<Ok<CatalogView>, ProblemHttpResult> (string hash, IncentivesEngine e) =>
                e.CatalogVersions.FirstOrDefault(v => v.Hash == hash) is { } c
                    ? TypedResults.Ok(Views.Of(c))
                    : Problems.NotFound("hash", $"no catalog version with hash '{hash}'"))
            .Allow(Role.Admin, Role.Staff, Role.Kiosk).ProducesProblems(404).WithTags("Catalog");

        api.MapPost("/communities", async Task<Results<Created<CommunityView>, ProblemHttpResult>> (CommunityBody body, IncentivesEngine e) =>
        {
            if (!CommunityId.TryParse(body.Id, out _))
            {
                return Problems.BadRequest("id", "a community id is 1–64 of A–Z, a–z, 0–9, '-', '_'");
            }

            var result = await e.RegisterCommunityAsync(new CommunityId(body.Id), body.Name, body.TimeZone);
            return result.Value is { } c
                ? TypedResults.Created($"/api/v1/communities/{c.Id}", new CommunityView(c.Id.Value, c.Name, c.TimeZone.Id))
                : Problems.From(result.Refusal!);
        }).Allow(Role.Admin).Idempotency(IdempotencyPolicy.Honoured).ProducesProblems(409, 503, 507).WithTags("Communities");

        api.MapGet("/communities", (HttpContext http, IncentivesEngine e) =>
        {
            var caller = http.Caller();
            return TypedResults.Ok<IReadOnlyList<CommunityView>>([.. e.GetCommunities().Where(c => caller.Role == Role.Admin || c.Id == caller.Community)
                .Select(c => new CommunityView(c.Id.Value, c.Name, c.TimeZone.Id))]);
        }).Allow(Role.Admin, Role.Staff).ProducesProblems(503).WithTags("Communities");

        api.MapPost("/communities/{id}/residents", RegisterResident).Allow(Role.Admin, Role.Staff).Idempotency(IdempotencyPolicy.Required)
            .ProducesProblems(403, 404, 409, 503, 507).WithTags("Residents");

        api.MapGet("/residents/{id}", Results<Ok<ResidentView>, ProblemHttpResult> (string id, HttpContext http, IncentivesEngine e, Guard guard, IClock clock) =>
        {
            var (resident, problem) = guard.Resident(http.Caller(), id, "resident");
            if (problem is not null)
            {
                return problem;
            }

            var b = e.GetBalance(resident!.Id)!;
            var credit = e.GetCredit(resident.Id)!;
            var stars = e.GetVolunteerStanding(resident.Id)!;
            return TypedResults.Ok(new ResidentView(resident.Id.Value, resident.Community.Value, resident.DisplayName, resident.Status.ToString().ToLowerInvariant(),
                new BalanceView(b.Available, b.Pending, b.Reserved, b.LifetimeEarned, b.Submitted), new CreditSummary(credit.Rated, credit.Tier, credit.Score), stars.Stars,
                e.GetExpiringPoints(resident.Id, Duration.FromDays(30)), e.GetExpiringPoints(resident.Id, Duration.FromDays(90)),
                e.GetConsent(resident.Id) is { } consent ? new ConsentView(resident.Id.Value, consent.Granted, consent.Since, consent.By) : null));
        }).Allow(Role.Admin, Role.Staff, Role.Kiosk).ProducesProblems(403, 404, 503).WithTags("Residents");

        api.MapGet("/residents/{id}/consent-history", Results<Ok<ConsentHistoryView>, ProblemHttpResult> (string id, HttpContext http, IncentivesEngine e, Guard guard,
            StaffDirectory staff) =>
        {
            var (resident, problem) = guard.Resident(http.Caller(), id, "consent-history");
            if (problem is not null)
            {
                return problem;
            }

            var history = e.GetConsentHistory(resident!.Id);
            var views = new List<ConsentChangeView>(history.Count);
            foreach (var c in history)
            {
                views.Add(new ConsentChangeView(c.Granted, c.Since, c.By, staff.NameOf(c.By)));
            }

            return TypedResults.Ok(new ConsentHistoryView(resident.Id.Value, views));
        }).Allow(Role.Admin, Role.Staff, Role.Kiosk).ProducesProblems(403, 404, 503).WithTags("Credit");

        api.MapPost("/residents/{id}/consent", (string id, HttpContext http, IncentivesEngine e, Guard guard) => Consent(id, true, http, e, guard))
            .Allow(Role.Admin, Role.Staff, Role.Kiosk).Idempotency(IdempotencyPolicy.Honoured).ProducesProblems(403, 404, 503, 507).WithTags("Credit");
        api.MapDelete("/residents/{id}/consent", (string id, HttpContext http, IncentivesEngine e, Guard guard) => Consent(id, false, http, e, guard))
            .Allow(Role.Admin, Role.Staff, Role.Kiosk).Idempotency(IdempotencyPolicy.Honoured).ProducesProblems(403, 404, 503, 507).WithTags("Credit");

        // A refused preview is a 200 whose status is "refused": the preview itself succeeded.
        api.MapPost("/awards/preview", Results<Ok<AwardView>, ProblemHttpResult> (AwardBody body, HttpContext http, IncentivesEngine e, Guard guard) =>
        {
            var (request, problem) = ToRequest(body, http, guard, "preview");
            return problem is null ? TypedResults.Ok(Views.Of(e.PreviewAward(request!), null)) : problem;
        }).Allow(Role.Admin, Role.Staff).Idempotency(IdempotencyPolicy.ReadOnly).ProducesProblems(403, 404, 503).WithTags("Awards");

        api.MapPost("/awards", async Task<Results<Created<AwardView>, ProblemHttpResult>> (AwardBody body, HttpContext http, IncentivesEngine e, Guard guard) =>
        {
            var (request, problem) = ToRequest(body, http, guard, Parse.Key(http));
            if (problem is not null)
            {
                return problem;
            }

            // Staff records run the catalog's loop: posted at once, or submitted for approval / posted in public.
            var result = await e.SubmitAsync(request!);
            if (result.Value is not { } submission)
            {
                var refusal = Problems.From(result.Refusal!);
                if (result.Decision is { } d)
                {
                    refusal.ProblemDetails.Extensions["explanation"] = Views.Of(d, null);
                }

                return refusal;
            }

            http.Response.Headers["Idempotent-Replayed"] = result.Replayed ? "true" : "false";
            if (submission.Record is { } record)
            {
                return TypedResults.Created($"/api/v1/records/{record.Id}", Views.Of(record));
            }

            var entry = submission.Entry!;
            return TypedResults.Created($"/api/v1/entries/{entry.Id}", Views.Of(entry.Decision!, entry));
        }).Allow(Role.Admin, Role.Staff).Idempotency(IdempotencyPolicy.Required).ProducesProblems(403, 404, 409, 422, 503, 507).WithTags("Awards");

        api.MapPost("/entries/{entryId:long}/reversal", async Task<Results<Created<StatementItem>, ProblemHttpResult>> (long entryId, ReversalBody body, HttpContext http,
            IncentivesEngine e, Guard guard, StaffDirectory staff) =>
        {
            if (e.GetEntry(new EntryId(entryId)) is not { } entry)
            {
                return Problems.NotFound("entryId", $"no entry {entryId}");
            }

            var (_, problem) = guard.Resident(http.Caller(), entry.Resident.Value, "reversal", read: false);
            if (problem is not null)
            {
                return problem;
            }

            var key = Parse.Key(http);
            var result = await e.ReverseAsync(new ReversalRequest(entry.Id, body.Reason, http.Caller().KeyId, key.Length > 0 ? key : "reversal-of-" + entryId));
            return result.Value is { } reversal
                ? TypedResults.Created($"/api/v1/entries/{reversal.Id}", Views.Of(reversal, staff))
                : Problems.From(result.Refusal!);
        }).Allow(Role.Admin, Role.Staff).Idempotency(IdempotencyPolicy.Honoured).ProducesProblems(403, 404, 409, 503, 507).WithTags("Awards");

        api.MapGet("/residents/{id}/statement", Results<Ok<StatementView>, ProblemHttpResult> (string id, string? from, string? to,
            [OneOf(typeof(EntryKind))] string? kind, int? page, int? pageSize, HttpContext http, IncentivesEngine e, Guard guard, StaffDirectory staff) =>
        {
            if (!Parse.Instant(from, out var fromAt))
            {
                return Problems.BadRequest("from", "'from' must be an ISO-8601 instant, e.g. 2026-11-01T00:00:00Z");
            }

            if (!Parse.Instant(to, out var toAt))
            {
                return Problems.BadRequest("to", "'to' must be an ISO-8601 instant");
            }

            if (fromAt is { } start && toAt is { } end && end <= start)
            {
                return Problems.BadRequest("to", "'to' must be after 'from'", "截止日期须晚于起始日期");
            }

            EntryKind? entryKind = null;
            if (kind is not null)
            {
                if (!Parse.Enum<EntryKind>(kind, out var k))
                {
                    return Problems.BadRequest("kind", "kind is one of award, deduction, reversal, adjustment, redemption, expiry");
                }

                entryKind = k;
            }

            if (page is < 1 or > Limits.MaxPage || pageSize is < 1 or > 500)
            {
                return Problems.BadRequest(page is < 1 or > Limits.MaxPage ? "page" : "pageSize", $"page is 1–{Limits.MaxPage}; pageSize is 1–500", "页码须为 1–1000000, 每页 1–500 条");
            }

            var (resident, problem) = guard.Resident(http.Caller(), id, "statement");
            if (problem is not null)
            {
                return problem;
            }

            var result = e.GetStatement(new StatementQuery(resident!.Id, fromAt, toAt, entryKind, page ?? 1, pageSize ?? 50));
            // Residents at a kiosk do not see who recorded what.
            var names = http.Caller().Role is Role.Admin or Role.Staff ? staff : null;
            var reversals = ReversalsOf(e, resident.Id, result.Items);
            return TypedResults.Ok(new StatementView(result.Items.Select(x => Views.Of(x, reversals.GetValueOrDefault(x.Id.Value), names)).ToList(),
                result.PageNumber, result.PageSize, result.Total));
        }).Allow(Role.Admin, Role.Staff, Role.Kiosk).ProducesProblems(403, 404, 503).WithTags("Residents");
    }

    /// <summary>The reversal entry of each line of the page that has been reversed, by the reversed entry's id (the
    /// reversal may be on another page or outside the page's filters).</summary>
    private static Dictionary<long, JournalEntry> ReversalsOf(IncentivesEngine e, ResidentId resident, IReadOnlyList<JournalEntry> page)
    {
        var found = new Dictionary<long, JournalEntry>();
        if (page.All(x => x.Kind == EntryKind.Reversal))
        {
            return found;
        }

        for (var number = 1; ; number++)
        {
            var reversals = e.GetStatement(new StatementQuery(resident, null, null, EntryKind.Reversal, number, 500));
            foreach (var r in reversals.Items.Where(r => r.Reverses is not null))
            {
                found[r.Reverses!.Value.Value] = r;
            }

            if (reversals.Items.Count < 500 || (long)number * 500 >= reversals.Total)
            {
                return found;
            }
        }
    }

    private static async Task<Results<Created<RegisteredResidentView>, ProblemHttpResult>> RegisterResident(string id, ResidentBody body, HttpContext http,
        IncentivesEngine e, Guard guard, ApiStore api, Secrets secrets, IClock clock)
    {
        if (Guard.Community(http.Caller(), id) is { } forbidden)
        {
            return forbidden;
        }

        if (body.Id is not null && !ResidentId.TryParse(body.Id, out _))
        {
            return Problems.BadRequest("id", "a resident id is 1–64 of A–Z, a–z, 0–9, '-', '_'");
        }

        if ((body.CardNumber is null) != (body.Pin is null) || body.Pin is { } pin && (pin.Length is < 4 or > 8 || !pin.All(char.IsAsciiDigit)))
        {
            return Problems.BadRequest("pin", "a kiosk card needs both cardNumber and a PIN of 4–8 digits");
        }

        if (body.CardNumber is { } card && api.FindCard(card) is not null)
        {
            return Problems.From(new Rules.Refusal(Rules.RefusalCode.AlreadyExists, "cardNumber", "this card number is already in use", "卡号已被使用"));
        }

        var (profile, badProfile) = ResidentProfiles.Check(body.Building, body.Grid, body.Phone);
        if (badProfile is not null)
        {
            return badProfile;
        }

        var idHash = body.IdNumber is { Length: > 0 } n ? secrets.HashIdNumber(n) : null;
        if (idHash is not null && api.ResidentOfIdNumber(idHash) is not null)
        {
            return Problems.From(new Rules.Refusal(Rules.RefusalCode.AlreadyExists, "idNumber", "a resident with this ID number is already registered", "该证件号已登记"));
        }

        if (!CommunityId.TryParse(id, out _))
        {
            return Problems.NotFound("id", $"no community '{id}'");
        }

        var result = await e.RegisterResidentAsync(new CommunityId(id), body.DisplayName ?? string.Empty, body.Id is null ? null : new ResidentId(body.Id), Parse.Key(http), body.BirthYear);
        if (result.Value is not { } resident)
        {
            return Problems.From(result.Refusal!);
        }

        // Upserts: a retry after a crash between the engine and this store completes the card without a second resident.
        // The slow PIN hash is computed before taking the store's write lock.
        var pinHash = body.CardNumber is null ? null : Secrets.HashPin(body.Pin!);
        api.Write(() =>
        {
            if (body.CardNumber is { } c)
            {
                api.Cards.Upsert(new CardDoc { Id = c, Resident = resident.Id.Value, PinHash = pinHash! });
            }

            if (idHash is not null)
            {
                api.IdNumbers.Upsert(new IdNumberDoc { Id = idHash, Resident = resident.Id.Value });
            }

            return 0;
        });
        if (profile is not (null, null, null))
        {
            // Contact details go to api.db, not the ledger: they can be corrected or erased later (docs/residents.md).
            ResidentProfiles.Save(api, resident.Id.Value, id, profile, http.Caller().KeyId, clock.GetCurrentInstant());
        }

        return TypedResults.Created($"/api/v1/residents/{resident.Id}", new RegisteredResidentView(resident.Id.Value, id, resident.DisplayName));
    }

    private static async Task<Results<Ok<ConsentView>, ProblemHttpResult>> Consent(string id, bool grant, HttpContext http, IncentivesEngine e, Guard guard)
    {
        var (resident, problem) = guard.Resident(http.Caller(), id, "consent", read: false);
        if (problem is not null)
        {
            return problem;
        }

        var by = http.Caller().Role == Role.Kiosk ? "resident at kiosk " + http.Caller().Scope : http.Caller().KeyId;
        var result = grant ? await e.GrantConsentAsync(resident!.Id, by) : await e.RevokeConsentAsync(resident!.Id, by);
        return result.Value is { } state ? TypedResults.Ok(new ConsentView(id, state.Granted, state.Since, state.By)) : Problems.From(result.Refusal!);
    }

    private static (AwardRequest? Request, ProblemHttpResult? Problem) ToRequest(AwardBody body, HttpContext http, Guard guard, string key)
    {
        if (!IndicatorCode.TryParse(body.Indicator, out var indicator))
        {
            return (null, Problems.BadRequest("indicator", $"'{body.Indicator}' is not an indicator code like VOL-01"));
        }

        var (resident, problem) = guard.Resident(http.Caller(), body.ResidentId ?? string.Empty, "award", read: false);
        if (problem is not null)
        {
            return (null, problem);
        }

        var evidence = string.Join(" | ", new[] { body.Evidence, body.Note }.Where(x => !string.IsNullOrWhiteSpace(x)));
        return (new AwardRequest(resident!.Id, indicator, body.Quantity, http.Caller().KeyId, key, body.OccurredAt, evidence.Length == 0 ? null : evidence, body.ActId), null);
    }
}
