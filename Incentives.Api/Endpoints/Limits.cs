using Incentives.Mall;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace Incentives.Api.Endpoints;

/// <summary>
/// Every bound on what a request may carry, in one place (docs/api.md lists them): the length of every string field of
/// every body, of route values and query values; no null elements in arrays; instants within years 1900–2199; sizes
/// and counts that would otherwise reach the engine half-checked. A request past a bound is a 400 naming the field
/// (<c>lines[2].sku</c>), checked by <see cref="Filter"/> before the endpoint runs — after the key check, so a caller
/// without a key learns nothing about bodies. The engine still applies its own rules (caps, prices, tiers) after these.
/// </summary>
internal static class Limits
{
    /// <summary>Ids: residents, communities, stores, items (sku), acts, keys, partner names; route values.</summary>
    public const int Id = 64;

    /// <summary>Names: display names, item and store names.</summary>
    public const int Name = 100;

    /// <summary>Free text: reason, evidence, note.</summary>
    public const int Text = 500;

    /// <summary>Short codes: indicator codes, tiers, kinds, roles, periods, time-zone ids.</summary>
    public const int Code = 64;

    /// <summary>Pickup codes in routes.</summary>
    public const int PickupCode = 16;

    /// <summary>Kiosk PINs (4–8 digits when a card is registered).</summary>
    public const int Pin = 8;

    /// <summary>Kiosk card numbers.</summary>
    public const int CardNumber = 32;

    /// <summary>Staff passwords (<see cref="Security.StaffAccounts.MaxPassword"/>).</summary>
    public const int Password = Security.StaffAccounts.MaxPassword;

    /// <summary>National ID numbers (18 characters; a little room for other documents).</summary>
    public const int IdNumber = 32;

    /// <summary>Query values, e.g. the resident search <c>q</c>.</summary>
    public const int Query = 100;

    /// <summary>Highest statement page.</summary>
    public const int MaxPage = 1_000_000;

    /// <summary>Stock on an item and in one stock change (the engine's own bound on a change).</summary>
    public const long MaxStock = 1_000_000;

    /// <summary>Magnitude of an award's quantity (no indicator comes near; beyond it the engine's arithmetic could overflow).</summary>
    public const long MaxQuantity = 1_000_000;

    /// <summary>Tier prices on one item.</summary>
    public const int MaxTierPrices = 20;

    /// <summary>Lines in one reservation request (the engine allows 20; more is refused here without reading them).</summary>
    public const int MaxLines = 20;

    /// <summary>Earliest instant a request may name (the engine's own bound, <see cref="Plausible"/>).</summary>
    public static readonly Instant MinInstant = Plausible.Earliest;

    /// <summary>Instants must be before this (<see cref="Plausible"/>).</summary>
    public static readonly Instant EndInstant = Plausible.End;

    /// <summary>Checks route values, query values and every body argument of the endpoint before it runs.</summary>
    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var problem = Check(context.HttpContext.Request);
        for (var i = 0; problem is null && i < context.Arguments.Count; i++)
        {
            problem = Check(context.Arguments[i]);
        }

        return problem ?? await next(context);
    }

    /// <summary>True when the instant is within the bounds a request may name.</summary>
    public static bool InRange(Instant value) => value >= MinInstant && value < EndInstant;

    public static ProblemHttpResult? Check(HttpRequest request)
    {
        foreach (var (name, value) in request.RouteValues)
        {
            var max = name == "pickupCode" ? PickupCode : Id;
            if (value is string text && text.Length > max)
            {
                return TooLong(name, max);
            }
        }

        foreach (var (name, values) in request.Query)
        {
            if (values.Any(v => v?.Length > Query))
            {
                return TooLong(name, Query);
            }
        }

        return null;
    }

    public static ProblemHttpResult? Check(object? argument) => argument switch
    {
        CommunityBody b => Chars(b.Id, "id", Id) ?? Chars(b.Name, "name", Name) ?? Chars(b.TimeZone, "timeZone", Code),
        ResidentBody b => Chars(b.DisplayName, "displayName", Name) ?? Chars(b.CardNumber, "cardNumber", CardNumber) ?? Chars(b.Pin, "pin", Pin)
            ?? Chars(b.IdNumber, "idNumber", IdNumber) ?? Chars(b.Id, "id", Id) ?? Profile(b.Building, b.Grid, b.Phone),
        ResidentProfileBody b => Profile(b.Building, b.Grid, b.Phone),
        AwardBody b => Chars(b.ResidentId, "residentId", Id) ?? Chars(b.Indicator, "indicator", Code) ?? Chars(b.Evidence, "evidence", Text)
            ?? Chars(b.Note, "note", Text) ?? Chars(b.ActId, "actId", Id) ?? When(b.OccurredAt, "occurredAt")
            ?? (Math.Abs(b.Quantity) > MaxQuantity ? Range("quantity", -MaxQuantity, MaxQuantity) : null),
        ReversalBody b => Chars(b.Reason, "reason", Text),
        AdjustmentBody b => Chars(b.Reason, "reason", Text),
        ItemBody b => Item(b),
        StockBody b => Chars(b.Kind, "kind", Code) ?? Chars(b.Reason, "reason", Text)
            ?? (b.Quantity is < -MaxStock or > MaxStock ? Range("quantity", -MaxStock, MaxStock) : null),
        ReservationBody b => Chars(b.ResidentId, "residentId", Id) ?? Lines(b.Lines),
        CreditLookupBody b => Chars(b.IdNumber, "idNumber", IdNumber) ?? When(b.AsOf, "asOf"),
        EligibilityBody b => Eligibility(b, string.Empty),
        EligibilityBatchBody b => Batch(b),
        SessionBody b => Chars(b.CardNumber, "cardNumber", CardNumber) ?? Chars(b.Pin, "pin", Pin),
        KeyBody b => Chars(b.Role, "role", Code) ?? Chars(b.Scope, "scope", Id),
        StaffBody b => Chars(b.Id, "id", Id) ?? Chars(b.Name, "name", Name) ?? Chars(b.Role, "role", Code) ?? Chars(b.Community, "community", Id)
            ?? Chars(b.Password, "password", Password),
        PasswordBody b => Chars(b.Password, "password", Password),
        StaffSignInBody b => Chars(b.Id, "id", Id) ?? Chars(b.Password, "password", Password),
        StoreBody b => Chars(b.Id, "id", Id) ?? Chars(b.CommunityId, "communityId", Id) ?? Chars(b.Name, "name", Name),
        _ => null,
    };

    private static ProblemHttpResult? Profile(string? building, string? grid, string? phone) =>
        Chars(building, "building", Security.ResidentProfiles.MaxText) ?? Chars(grid, "grid", Security.ResidentProfiles.MaxText)
            ?? Chars(phone, "phone", Security.ResidentProfiles.MaxPhone);

    private static ProblemHttpResult? Item(ItemBody b)
    {
        var problem = Chars(b.Sku, "sku", Id) ?? Chars(b.NameZh, "nameZh", Name) ?? Chars(b.NameEn, "nameEn", Name) ?? Chars(b.Kind, "kind", Code)
            ?? Chars(b.MinTier, "minTier", Code) ?? Chars(b.PerResidentLimit?.Period, "perResidentLimit.period", Code) ?? Chars(b.OverdueIndicator, "overdueIndicator", Code)
            ?? When(b.ActiveFrom, "activeFrom") ?? When(b.ActiveTo, "activeTo")
            // The item is defined before its opening stock is received: an impossible stock must not leave an item behind.
            ?? (b.Stock is < 0 or > MaxStock ? Range("stock", 0, MaxStock) : null);
        if (problem is not null || b.TierPrices is not { } prices)
        {
            return problem;
        }

        if (prices.Count > MaxTierPrices)
        {
            return Problems.BadRequest("tierPrices", $"at most {MaxTierPrices} tier prices", $"最多 {MaxTierPrices} 个等级价");
        }

        for (var i = 0; i < prices.Count; i++)
        {
            var field = $"tierPrices[{i}]";
            problem = prices[i] is not { } price ? Null(field) : Chars(price.Tier, field + ".tier", Code, required: true);
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    private static ProblemHttpResult? Lines(IReadOnlyList<LineRequest>? lines)
    {
        if (lines is null)
        {
            return null; // the endpoint says a reservation needs a line
        }

        if (lines.Count > MaxLines)
        {
            return Problems.BadRequest("lines", $"at most {MaxLines} lines", $"最多 {MaxLines} 行");
        }

        for (var i = 0; i < lines.Count; i++)
        {
            var field = $"lines[{i}]";
            var problem = lines[i] is not { } line ? Null(field) : Chars(line.Sku, field + ".sku", Id, required: true);
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    private static ProblemHttpResult? Batch(EligibilityBatchBody b)
    {
        var problem = When(b.AsOf, "asOf");
        if (problem is not null || b.Residents is not { } residents)
        {
            return problem; // a missing list: the endpoint names the batch size
        }

        if (residents.Count > IncentivesEngine.MaxEligibilityBatch)
        {
            return Problems.BadRequest("residents", $"between 1 and {IncentivesEngine.MaxEligibilityBatch} residents per call");
        }

        for (var i = 0; i < residents.Count; i++)
        {
            problem = residents[i] is not { } r ? Null($"residents[{i}]") : Eligibility(r, $"residents[{i}].");
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    private static ProblemHttpResult? Eligibility(EligibilityBody b, string prefix) =>
        Chars(b.ResidentId, prefix + "residentId", Id) ?? Chars(b.IdNumber, prefix + "idNumber", IdNumber) ?? When(b.AsOf, prefix + "asOf");

    private static ProblemHttpResult? Chars(string? value, string field, int max, bool required = false) =>
        value is null ? (required ? Problems.BadRequest(field, $"'{field}' is required", $"'{field}' 为必填项") : null)
        : value.Length > max ? TooLong(field, max)
        : null;

    private static ProblemHttpResult? When(Instant? value, string field) =>
        value is { } v && !InRange(v)
            ? Problems.BadRequest(field, $"'{field}' must be between {MinInstant} and {EndInstant}", $"'{field}' 须在 1900 年至 2199 年之间")
            : null;

    private static ProblemHttpResult TooLong(string field, int max) =>
        Problems.BadRequest(field, $"'{field}' is longer than {max} characters", $"'{field}' 超过 {max} 个字符");

    private static ProblemHttpResult Null(string field) =>
        Problems.BadRequest(field, $"'{field}' is null: arrays may not hold nulls", $"'{field}' 为空值: 数组中不能有 null");

    private static ProblemHttpResult Range(string field, long min, long max) =>
        Problems.BadRequest(field, $"'{field}' must be {min}–{max}", $"'{field}' 须在 {min} 到 {max} 之间");
}
