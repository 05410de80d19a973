using Incentives.Api.Idempotency;
using Incentives.Api.OpenApi;
using Incentives.Api.Security;
using Incentives.Catalog;
using Incentives.Ledger;
using Incentives.Mall;
using Incentives.Rules;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Incentives.Api.Endpoints;

/// <summary>Stores, items, stock and the reservation lifecycle.</summary>
internal static class MallEndpoints
{
    /// <summary>The reason journaled for an item's opening receipt: in Chinese, as staff write theirs.</summary>
    public const string OpeningStock = "期初库存";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/stores", async Task<Results<Created<StoreView>, ProblemHttpResult>> (StoreBody body, HttpContext http, IncentivesEngine e) =>
        {
            if (!StoreId.TryParse(body.Id, out _) || !CommunityId.TryParse(body.CommunityId, out _))
            {
                return Problems.BadRequest(StoreId.TryParse(body.Id, out _) ? "communityId" : "id", "ids are 1–64 of A–Z, a–z, 0–9, '-', '_'");
            }

            if (Guard.Community(http.Caller(), body.CommunityId) is { } forbidden)
            {
                return forbidden;
            }

            var result = await e.CreateStoreAsync(new StoreId(body.Id), new CommunityId(body.CommunityId), body.Name);
            return result.Value is { } s
                ? TypedResults.Created($"/api/v1/stores/{s.Id}", new StoreView(s.Id.Value, s.Community.Value, s.Name))
                : Problems.From(result.Refusal!);
        }).Allow(Role.Admin, Role.Staff).Idempotency(IdempotencyPolicy.Honoured).ProducesProblems(403, 404, 409, 503, 507).WithTags("Mall");

        api.MapGet("/stores/{storeId}/items", Results<Ok<ItemsView>, ProblemHttpResult> (string storeId, HttpContext http, IncentivesEngine e, Guard guard) =>
        {
            var (store, problem) = guard.Store(http.Caller(), storeId);
            return problem is null ? TypedResults.Ok(new ItemsView(e.GetItems(store!.Id).Select(ToView).ToList())) : problem;
        }).Allow(Role.Admin, Role.Staff, Role.Kiosk).ProducesProblems(403, 404, 503).WithTags("Mall");

        // Creates the item (201), or replaces the definition of an existing one (200).
        api.MapPost("/stores/{storeId}/items", async Task<Results<Created<ItemView>, Ok<ItemView>, ProblemHttpResult>> (string storeId, ItemBody body, HttpContext http,
            IncentivesEngine e, Guard guard, ApiStore pictures) =>
        {
            var (store, problem) = guard.Store(http.Caller(), storeId);
            if (problem is not null)
            {
                return problem;
            }

            var (definition, bad) = ToDefinition(body);
            if (bad is not null)
            {
                return bad;
            }

            if (body.Stock < 0)
            {
                return Problems.BadRequest("stock", "stock cannot be negative", "库存不能为负数");
            }

            // The engine checks the name's form; only the API knows whether the bytes were uploaded.
            if (body.Picture is { } picture && PictureEndpoints.IsName(picture) && !PictureEndpoints.Exists(pictures, picture))
            {
                return Problems.BadRequest("picture", $"no picture '{picture}': upload it first with POST /stores/{{storeId}}/pictures", "图片不存在, 请先上传图片");
            }

            // The store finds skus without regard to case; the engine refuses a differently cased one.
            var existing = e.GetItems(store!.Id).FirstOrDefault(i => string.Equals(i.Definition.Sku, body.Sku, StringComparison.OrdinalIgnoreCase));

            // Create-only (RFC 9110 If-None-Match: *): a desk adding a new item must not replace another's of the same
            // sku. The engine checks it on the writer thread, so two desks creating the same sku at once cannot both win.
            var createOnly = http.Request.Headers.IfNoneMatch.ToString().Trim() == "*";
            var result = await e.DefineItemAsync(store.Id, definition!, http.Caller().KeyId, createOnly);
            if (!result.TryGetValue(out var item))
            {
                return createOnly && result.Refusal is { Code: RefusalCode.AlreadyExists } taken
                    ? Problems.Make(StatusCodes.Status412PreconditionFailed, "already-exists", taken.Message, taken.MessageZh, taken.Field)
                    : Problems.From(result.Refusal!);
            }

            // On creation, 'stock' is the opening receipt; afterwards stock changes only through /stock.
            if (existing is null && body.Stock > 0)
            {
                var opening = await e.ChangeStockAsync(store.Id, body.Sku, StockChangeKind.Receive, body.Stock, http.Caller().KeyId, OpeningStock, Parse.Key(http) + ":opening");
                if (!opening.TryGetValue(out item))
                {
                    return Problems.From(opening.Refusal!);
                }
            }

            return existing is null ? TypedResults.Created($"/api/v1/stores/{storeId}/items/{body.Sku}", ToView(item)) : TypedResults.Ok(ToView(item));
        }).Allow(Role.Admin, Role.Staff).Idempotency(IdempotencyPolicy.Required).ProducesProblems(403, 404, 409, 412, 503, 507).WithTags("Mall");

        api.MapPost("/stores/{storeId}/items/{sku}/stock", async Task<Results<Ok<ItemView>, ProblemHttpResult>> (string storeId, string sku, StockBody body,
            HttpContext http, IncentivesEngine e, Guard guard) =>
        {
            var (store, problem) = guard.Store(http.Caller(), storeId);
            if (problem is not null)
            {
                return problem;
            }

            if (!Parse.Enum<StockChangeKind>(body.Kind, out var kind))
            {
                return Problems.BadRequest("kind", "kind is receive, writeOff or correction");
            }

            var result = await e.ChangeStockAsync(store!.Id, sku, kind, body.Quantity, http.Caller().KeyId, body.Reason ?? string.Empty, Parse.Key(http));
            return result.Value is { } item ? TypedResults.Ok(ToView(item)) : Problems.From(result.Refusal!);
        }).Allow(Role.Admin, Role.Staff).Idempotency(IdempotencyPolicy.Required).ProducesProblems(403, 404, 409, 503, 507).WithTags("Mall");

        api.MapGet("/stores/{storeId}/items/{sku}/stock-changes", Results<Ok<StockChangesView>, ProblemHttpResult> (string storeId, string sku, HttpContext http,
            IncentivesEngine e, Guard guard, StaffDirectory staff) =>
        {
            var (store, problem) = guard.Store(http.Caller(), storeId);
            if (problem is not null)
            {
                return problem;
            }

            if (!e.GetItems(store!.Id).Any(i => i.Definition.Sku == sku))
            {
                return Problems.NotFound("sku", $"no item '{sku}' in store '{storeId}'", $"商品 '{sku}' 不存在");
            }

            var changes = e.GetStockChanges(store.Id, sku);
            var views = new List<StockChangeView>(changes.Count);
            foreach (var c in changes)
            {
                views.Add(new StockChangeView(Parse.Camel(c.Kind), c.Quantity, c.By, staff.NameOf(c.By), c.Reason, c.At));
            }

            return TypedResults.Ok(new StockChangesView(sku, views));
        }).Allow(Role.Admin, Role.Staff).ProducesProblems(403, 404, 503).WithTags("Mall");

        api.MapPost("/stores/{storeId}/reservations", async Task<Results<Created<ReservationView>, ProblemHttpResult>> (string storeId, ReservationBody body,
            HttpContext http, IncentivesEngine e, Guard guard) =>
        {
            var key = Parse.Key(http);
            var (store, problem) = guard.Store(http.Caller(), storeId);
            var (resident, residentProblem) = problem is null ? guard.Resident(http.Caller(), body.ResidentId ?? string.Empty, "reservation", read: false) : (null, null);
            if ((problem ?? residentProblem) is { } p)
            {
                return p;
            }

            if (body.Lines is null || body.Lines.Count == 0)
            {
                return Problems.BadRequest("lines", "a reservation needs at least one line");
            }

            var result = await e.ReserveAsync(new ReservationRequest(store!.Id, resident!.Id, body.Lines, key));
            return result.Value is { } r ? TypedResults.Created($"/api/v1/stores/{storeId}/reservations/{r.PickupCode}", Views.Of(r)) : Problems.From(result.Refusal!);
        }).Allow(Role.Admin, Role.Staff, Role.Kiosk).Idempotency(IdempotencyPolicy.Required).ProducesProblems(403, 404, 409, 422, 503, 507).WithTags("Mall");

        // What the counter shows before handing over: the resident (masked), the goods, the held points, the deadline.
        api.MapGet("/stores/{storeId}/reservations/{pickupCode}", Results<Ok<ReservationView>, ProblemHttpResult> (string storeId, string pickupCode,
            HttpContext http, IncentivesEngine e, Guard guard, StaffDirectory staff) =>
        {
            var (store, problem) = guard.Store(http.Caller(), storeId);
            if (problem is not null)
            {
                return problem;
            }

            return e.GetReservation(store!.Id, pickupCode) is { } r
                ? TypedResults.Ok(CounterView(r, e, http.Caller().Role is Role.Admin or Role.Staff ? staff : null))
                : Problems.NotFound("pickupCode", $"no reservation '{pickupCode}'", $"取货码 '{pickupCode}' 无效");
        }).Allow(Role.Admin, Role.Staff, Role.Kiosk).ProducesProblems(403, 404, 503).WithTags("Mall");

        // Handing goods over and taking a loan back are acts of the staff at the counter: no kiosk key may do them.
        // Handing over twice is a 409 that says when and by whom it was handed over; only a retry carrying an
        // Idempotency-Key is answered as the first time (the key's stored answer, or the engine's replay after a crash).
        api.MapPost("/stores/{storeId}/reservations/{pickupCode}/fulfil", (string storeId, string pickupCode, HttpContext http, IncentivesEngine e, Guard guard,
            StaffDirectory staff) =>
            Transition(storeId, pickupCode, http, e, guard, (s, c, by) => e.FulfilAsync(s, c, by), staff))
            .Allow(Role.Admin, Role.Staff).Idempotency(IdempotencyPolicy.Honoured).ProducesProblems(403, 404, 409, 503, 507).WithTags("Mall");
        api.MapPost("/stores/{storeId}/reservations/{pickupCode}/cancel", (string storeId, string pickupCode, HttpContext http, IncentivesEngine e, Guard guard) =>
            Transition(storeId, pickupCode, http, e, guard, (s, c, by) => e.CancelAsync(s, c, by)))
            .Allow(Role.Admin, Role.Staff, Role.Kiosk).Idempotency(IdempotencyPolicy.Honoured).ProducesProblems(403, 404, 409, 503, 507).WithTags("Mall");
        api.MapPost("/stores/{storeId}/reservations/{pickupCode}/return", (string storeId, string pickupCode, HttpContext http, IncentivesEngine e, Guard guard) =>
            Transition(storeId, pickupCode, http, e, guard, (s, c, by) => e.ReturnLoanAsync(s, c, by)))
            .Allow(Role.Admin, Role.Staff).Idempotency(IdempotencyPolicy.Honoured).ProducesProblems(403, 404, 409, 503, 507).WithTags("Mall");
    }

    // At a kiosk only the resident who reserved, signed in, may cancel (the only transition a kiosk may make).
    private static async Task<Results<Ok<ReservationStatusView>, ProblemHttpResult>> Transition(string storeId, string pickupCode, HttpContext http, IncentivesEngine e,
        Guard guard, Func<StoreId, string, string, Task<CommandResult<Reservation>>> act, StaffDirectory? fulfilOnce = null)
    {
        var caller = http.Caller();
        var (store, problem) = guard.Store(caller, storeId);
        if (problem is not null)
        {
            return problem;
        }

        if (e.GetReservation(store!.Id, pickupCode) is not { } reservation)
        {
            return Problems.NotFound("pickupCode", $"no reservation with code '{pickupCode}' in this store");
        }

        if (caller.Role == Role.Kiosk && caller.Resident != reservation.Resident)
        {
            return Problems.Forbidden("only the resident who reserved can cancel at a kiosk");
        }

        var result = await act(store.Id, pickupCode, caller.Role == Role.Kiosk ? "kiosk " + caller.Scope : caller.KeyId);
        if (fulfilOnce is not null && result is { Replayed: true, Value: { Status: ReservationStatus.Fulfilled } done }
            && http.Request.Headers[IdempotencyMiddleware.KeyHeader].Count == 0)
        {
            return AlreadyFulfilled(done, e, fulfilOnce);
        }

        return result.Value is { } r ? TypedResults.Ok(new ReservationStatusView(r.Id, r.Status.ToString().ToLowerInvariant())) : Problems.From(result.Refusal!);
    }

    private static ProblemHttpResult AlreadyFulfilled(Reservation r, IncentivesEngine e, StaffDirectory staff)
    {
        var zone = e.GetStore(r.Store) is { } s && e.GetCommunities().FirstOrDefault(c => c.Id == s.Community) is { } c ? c.TimeZone : NodaTime.DateTimeZone.Utc;
        var at = r.ClosedAt!.Value;
        var by = r.ClosedBy ?? string.Empty;
        var name = staff.NameOf(by) ?? by;
        var local = at.InZone(zone).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var problem = Problems.Conflict("pickupCode", "already-fulfilled", $"reservation {r.PickupCode} was already handed over at {at} by {name}",
            $"取货码 {r.PickupCode} 已于 {local} 由 {name} 交付, 不能再次交付");
        problem.ProblemDetails.Extensions["fulfilledAt"] = at.ToString();
        problem.ProblemDetails.Extensions["fulfilledBy"] = by;
        problem.ProblemDetails.Extensions["fulfilledByName"] = staff.NameOf(by);
        return problem;
    }

    /// <summary>The reservation as the counter sees it; who handed it over only when <paramref name="staff"/> is given.</summary>
    private static ReservationView CounterView(Reservation r, IncentivesEngine e, StaffDirectory? staff)
    {
        var items = e.GetItems(r.Store).ToDictionary(i => i.Definition.Sku);
        var name = e.GetResident(r.Resident)?.DisplayName ?? string.Empty;
        var fulfilled = r.Status == ReservationStatus.Fulfilled;
        return Views.Of(r) with
        {
            ResidentName = GovernanceViews.Mask(name),
            Items = [.. r.Lines.Select(l => new PickupLineView(l.Sku, items.GetValueOrDefault(l.Sku)?.Definition.NameZh ?? l.Sku,
                items.GetValueOrDefault(l.Sku)?.Definition.NameEn ?? l.Sku, l.Quantity, l.UnitPrice, l.Kind.ToString().ToLowerInvariant()))],
            Loans = [.. e.GetLoans(r.Resident).Where(l => l.Reservation == r.Id).Select(l => new LoanView(l.Id, l.Store.Value, l.Sku, l.Quantity, l.DueAt, l.ReturnedAt))],
            FulfilledAt = fulfilled ? r.ClosedAt : null,
            FulfilledBy = fulfilled && staff is not null ? r.ClosedBy : null,
            FulfilledByName = fulfilled && r.ClosedBy is { } by ? staff?.NameOf(by) : null,
        };
    }

    private static ItemView ToView(StoreItem i)
    {
        var d = i.Definition;
        return new(d.Sku, d.NameZh, d.NameEn, d.Price, i.Stock, d.Kind.ToString().ToLowerInvariant(), d.MinTier, Limit(d), d.TierPrices ?? [], d.LoanDays,
            d.OverdueIndicator?.Value, d.ActiveFrom, d.ActiveTo, i.Held, i.Handed, i.Received, d.Picture, PictureEndpoints.Url(d.Picture),
            d.LowStockAt ?? ItemDefinition.DefaultLowStockAt, d.IsLow(i.Stock));
    }

    /// <summary>An item's per-resident limit as the API writes it.</summary>
    public static LimitBody? Limit(ItemDefinition d) => d.Limit is { } l ? new LimitBody(l.Quantity, l.Period.ToString().ToLowerInvariant()) : null;

    private static (ItemDefinition? Definition, ProblemHttpResult? Problem) ToDefinition(ItemBody b)
    {
        if (!Parse.Enum<ItemKind>(b.Kind, out var kind))
        {
            return (null, Problems.BadRequest("kind", "kind is goods, service or loan"));
        }

        PurchaseLimit? limit = null;
        if (b.PerResidentLimit is { } l)
        {
            if (!Parse.Enum<PeriodKind>(l.Period, out var period))
            {
                return (null, Problems.BadRequest("perResidentLimit", "the period is day, month or year"));
            }

            limit = new PurchaseLimit(l.Quantity, period);
        }

        IndicatorCode? overdue = null;
        if (b.OverdueIndicator is { } o)
        {
            if (!IndicatorCode.TryParse(o, out var code))
            {
                return (null, Problems.BadRequest("overdueIndicator", $"'{o}' is not an indicator code"));
            }

            overdue = code;
        }

        return (new ItemDefinition(b.Sku ?? string.Empty, b.NameZh ?? string.Empty, b.NameEn ?? string.Empty, b.Price, kind, b.MinTier, limit, b.TierPrices,
            b.ActiveFrom, b.ActiveTo, b.LoanDays, overdue, b.Picture, b.LowStockAt), null);
    }
}

/// <summary>Body of <c>POST /stores</c>.</summary>
public sealed record StoreBody(string Id, string CommunityId, string Name);
