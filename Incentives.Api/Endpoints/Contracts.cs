using System.ComponentModel.DataAnnotations;
using Incentives.Api.OpenApi;
using Incentives.Api.Security;
using Incentives.Catalog;
using Incentives.Credit;
using Incentives.Ledger;
using Incentives.Mall;
using Incentives.Rules;
using NodaTime;

namespace Incentives.Api.Endpoints;

// The wire contract partner systems code against: camelCase JSON, ISO-8601 instants. Names listed in issue 6 stay.
// Every response body is one of these records (or a documented type of Incentives.Core), never an anonymous object,
// so the OpenAPI document names each schema.

/// <summary>
/// Every error answer: an RFC 9457 problem document (<c>application/problem+json</c>) with a stable <c>type</c>
/// (<c>https://incentives.dev/problems/&lt;code&gt;</c>) and <c>code</c>, and a Chinese message. It describes the wire
/// for the OpenAPI document; the service writes problems through <see cref="Problems"/>. The members after
/// <c>traceId</c> appear only with the refusals that have them.
/// </summary>
/// <param name="Type">https://incentives.dev/problems/ followed by the code.</param>
/// <param name="Title">A short English title.</param>
/// <param name="Status">The HTTP status.</param>
/// <param name="Detail">What went wrong, in English.</param>
/// <param name="Code">The stable reason, e.g. <c>invalid-argument</c>, <c>insufficient-points</c>, <c>idempotency-conflict</c>.</param>
/// <param name="MessageZh">What went wrong, in Chinese, for the screen.</param>
/// <param name="Field">The request field at fault, as a JSON path (<c>lines[2].sku</c>) or a header name, when one is.</param>
/// <param name="TraceId">The request's trace id, for the logs.</param>
/// <param name="Shortfall">insufficient-points: the points missing.</param>
/// <param name="Left">out-of-stock: the units left.</param>
/// <param name="ResetsAt">limit-reached: when the limit resets.</param>
/// <param name="TierNeeded">tier-too-low: the credit tier needed.</param>
/// <param name="PickupCodes">points-held: the reservations to cancel first.</param>
/// <param name="Entries">later-records-of-act, not-reversible: the entries (or the reservation) to act on instead.</param>
/// <param name="HoursToday">daily-hours-exceeded: the volunteer hours already recorded that day.</param>
/// <param name="HoursLimit">daily-hours-exceeded: the daily bound.</param>
/// <param name="Explanation">A refused award: the decision with its explanation.</param>
/// <param name="LockedUntil">card-locked (403): until when the card is locked.</param>
/// <param name="Problems">An import refused (422 import-has-problems): every problem of the file, with its row and column.</param>
public sealed record ApiProblem(
    [property: Required] string Type,
    [property: Required] string Title,
    [property: Required] int Status,
    [property: Required] string Detail,
    [property: Required] string Code,
    [property: Required] string MessageZh,
    string? Field,
    string? TraceId,
    long? Shortfall,
    long? Left,
    Instant? ResetsAt,
    string? TierNeeded,
    IReadOnlyList<string>? PickupCodes,
    IReadOnlyList<long>? Entries,
    decimal? HoursToday,
    decimal? HoursLimit,
    AwardView? Explanation,
    Instant? LockedUntil,
    IReadOnlyList<ImportProblemView>? Problems = null);

/// <summary>Response of <c>GET /health</c>.</summary>
/// <param name="Status"><c>ok</c>, or <c>degraded</c> while writes are refused.</param>
/// <param name="Writes"><c>accepted</c>, or <c>refused: </c> with the store's problem and detail.</param>
/// <param name="CatalogVersion">The version of the rules catalog in force.</param>
/// <param name="CatalogHash">Its hash.</param>
public sealed record HealthView([property: OneOf("ok", "degraded")] string Status, string Writes, string CatalogVersion, string CatalogHash);

/// <summary>Response of <c>GET /catalog</c> and <c>/catalog/{hash}</c>: one version of the rules catalog.</summary>
public sealed record CatalogView(string Version, string Hash, LocalDate EffectiveFrom, string TimeZone, IReadOnlyList<Category> Categories,
    IReadOnlyList<IndicatorView> Indicators, CreditTierTable CreditTiers, IReadOnlyList<VolunteerStar> VolunteerStars);

/// <summary>One indicator of the catalog (积分指标).</summary>
/// <param name="Code">The stable code, e.g. <c>VOL-01</c>.</param>
/// <param name="Category">The category code.</param>
/// <param name="NameZh">Chinese name.</param>
/// <param name="NameEn">English name.</param>
/// <param name="Points">Points per unit; negative for a deduction.</param>
/// <param name="Unit">What one unit of quantity is.</param>
/// <param name="MaxQuantity">The largest quantity one record may carry.</param>
/// <param name="Caps">Per-period limits.</param>
/// <param name="Evidence">The proof required, <c>E1</c> (none) to <c>E4</c>.</param>
/// <param name="CreditDelta">The change to the credit score per record, if any.</param>
/// <param name="Active">Whether new records may use it.</param>
public sealed record IndicatorView(string Code, string Category, string NameZh, string NameEn, long Points, [property: OneOf(typeof(IndicatorUnit))] string Unit,
    decimal MaxQuantity, Caps Caps, [property: OneOf("E1", "E2", "E3", "E4")] string Evidence, int? CreditDelta, bool Active);

/// <summary>Body of <c>POST /communities</c>.</summary>
public sealed record CommunityBody(string Id, string Name, string? TimeZone);

/// <summary>A community.</summary>
public sealed record CommunityView(string Id, string Name, string TimeZone);

/// <summary>Body of <c>POST /communities/{id}/residents</c>. The ID number is kept only as an HMAC. <c>birthYear</c>
/// (optional, 1900 to this year) is the only age data kept: deductions for a resident under 14 are refused.
/// <c>building</c> (楼栋), <c>grid</c> (网格) and <c>phone</c> (optional) are contact details kept in <c>api.db</c>, not
/// in the ledger (<c>GET/PUT /residents/{id}/profile</c>, docs/residents.md).</summary>
public sealed record ResidentBody(string DisplayName, string? CardNumber, string? Pin, string? IdNumber, string? Id, int? BirthYear = null,
    string? Building = null, string? Grid = null, string? Phone = null);

/// <summary>A balance: <c>pending</c> is posted in public (公示中), <c>submitted</c> waits for approval (审核中); neither is
/// spendable, and only <c>available</c> + <c>reserved</c> + <c>pending</c> is in the journal.</summary>
public sealed record BalanceView(long Available, long Pending, long Reserved, long LifetimeEarned, long Submitted = 0);

/// <summary>A credit summary.</summary>
public sealed record CreditSummary(bool Rated, string? Tier, long? Score);

/// <summary>Response of <c>GET /residents/{id}</c>.</summary>
/// <remarks><c>consent</c>: consent to credit scoring as it now is (null when never recorded).</remarks>
public sealed record ResidentView(string Id, string CommunityId, string DisplayName, [property: OneOf(typeof(ResidentStatus))] string Status, BalanceView Balance,
    CreditSummary Credit, int Stars, long ExpiringIn30Days, long ExpiringIn90Days, ConsentView? Consent = null);

/// <summary>Body of <c>POST /awards</c> and <c>/awards/preview</c>. <c>actId</c> names the act the record documents:
/// records of one act count once, at the highest value.</summary>
public sealed record AwardBody(string ResidentId, string Indicator, decimal Quantity, Instant? OccurredAt, string? Evidence, string? Note, string? ActId = null);

/// <summary>Response of <c>POST /awards</c>: <c>awarded</c> is what was actually applied to the balance;
/// <c>uncovered</c> the part of a deduction the balance could not cover (recorded, not owed); <c>warning</c> true
/// when the record is the first offence of a warning-first indicator (recorded as a warning, 0 points);
/// <c>status</c> is <c>submitted</c> (waits for a second person's approval) or <c>pending</c> (posted in public until
/// <c>postingEndsAt</c>) for a record that entered the governance loop (<c>recordId</c>; docs/governance.md); such a
/// record has no <c>entryId</c> yet and <c>awarded</c> 0: nothing counts until it is confirmed.</summary>
public sealed record AwardView(long? EntryId, [property: OneOf("posted", "preview", "refused", "submitted", "pending")] string Status, long Requested, long Awarded, long Uncovered,
    int CreditDelta, IReadOnlyList<ExplanationStep> Explanation, string ExplanationText, string ExplanationTextEn, string CatalogHash, IReadOnlyList<Refusal> Refusals,
    bool Warning = false, long? RecordId = null, Instant? PostingEndsAt = null);

/// <summary>Body of <c>POST /entries/{id}/reversal</c>.</summary>
public sealed record ReversalBody(string Reason);

/// <summary>One statement line: <c>points</c> is what the entry moved; <c>uncovered</c> what it could not take.
/// <c>recordedBy</c> (a staff id or key id) and <c>recordedByName</c> (the staff member's name, when it is one) are
/// shown to staff and the admin only: residents at a kiosk do not see who recorded what (both null). <c>reason</c> is
/// why, for a reversal or an adjustment. A line that has been reversed names its reversal: <c>reversedByEntry</c>,
/// <c>reversedAt</c> and, to staff and the admin, <c>reversedBy</c>/<c>reversedByName</c>.</summary>
public sealed record StatementItem(long EntryId, [property: OneOf(typeof(EntryKind))] string Kind, string? Indicator, long Points, long Uncovered, Instant At,
    string? Explanation, string? ExplanationEn, long? Reverses, string? RecordedBy = null, string? RecordedByName = null, string? Reason = null,
    long? ReversedByEntry = null, Instant? ReversedAt = null, string? ReversedBy = null, string? ReversedByName = null);

/// <summary>Body of <c>POST /residents/{id}/adjustments</c> (一事一议): a non-zero number of points, positive or
/// negative, and the reason, which is required.</summary>
public sealed record AdjustmentBody([property: Range(-1_000_000, 1_000_000)] long Points, string Reason);

/// <summary>Response of <c>GET /residents/{id}/statement</c>.</summary>
public sealed record StatementView(IReadOnlyList<StatementItem> Items, int Page, int PageSize, long Total);

/// <summary>A per-resident limit on the wire.</summary>
public sealed record LimitBody(int Quantity, [property: OneOf("day", "month", "year")] string Period);

/// <summary>Body of <c>POST /stores/{storeId}/items</c>: the whole definition (an edit sends it all again).</summary>
/// <param name="Sku">The store's code, 1–32 of A–Z, a–z, 0–9, '-', '_'.</param>
/// <param name="NameZh">Chinese name.</param>
/// <param name="NameEn">English name.</param>
/// <param name="Price">Points per unit, 0–1,000,000.</param>
/// <param name="Stock">On creation only: the opening receipt (journaled as 期初库存); ignored on an edit,
/// where stock changes only through <c>/stock</c>.</param>
/// <param name="Kind">Goods, service or loan.</param>
/// <param name="MinTier">Only residents of this credit tier or better may take it.</param>
/// <param name="PerResidentLimit">At most this many units per resident per day, month or year.</param>
/// <param name="TierPrices">Percent of the price by tier.</param>
/// <param name="LoanDays">Loans only: days until due back.</param>
/// <param name="OverdueIndicator">Loans only: the catalog indicator recorded when overdue.</param>
/// <param name="ActiveFrom">Offered from this instant.</param>
/// <param name="ActiveTo">Offered until this instant (exclusive).</param>
/// <param name="Picture">A picture uploaded with <c>POST /stores/{storeId}/pictures</c> (its <c>pictureId</c>), or null.</param>
/// <param name="LowStockAt">Stock at or below this is low on the desk (default 5).</param>
public sealed record ItemBody(string Sku, string NameZh, string NameEn, long Price, long Stock, [property: OneOf(typeof(ItemKind))] string Kind, string? MinTier,
    LimitBody? PerResidentLimit, IReadOnlyList<TierPrice>? TierPrices, int? LoanDays, string? OverdueIndicator, Instant? ActiveFrom, Instant? ActiveTo,
    string? Picture = null, int? LowStockAt = null);

/// <summary>One item as <c>GET /stores/{storeId}/items</c> shows it: the definition, the stock (free, held by open
/// reservations, handed over or lent out, ever received) and whether it is low.</summary>
public sealed record ItemView(string Sku, string NameZh, string NameEn, long Price, long Stock, [property: OneOf(typeof(ItemKind))] string Kind, string? MinTier,
    LimitBody? PerResidentLimit, IReadOnlyList<TierPrice> TierPrices, int? LoanDays, string? OverdueIndicator = null, Instant? ActiveFrom = null, Instant? ActiveTo = null,
    long Held = 0, long Handed = 0, long Received = 0, string? Picture = null, string? PictureUrl = null, int LowStockAt = ItemDefinition.DefaultLowStockAt, bool LowStock = false);

/// <summary>Response of <c>GET /stores/{storeId}/items</c>.</summary>
public sealed record ItemsView(IReadOnlyList<ItemView> Items);

/// <summary>Body of <c>POST /stores/{storeId}/items/{sku}/stock</c>.</summary>
public sealed record StockBody([property: OneOf(typeof(StockChangeKind))] string Kind, long Quantity, string Reason);

/// <summary>Body of <c>POST /stores/{storeId}/reservations</c>.</summary>
public sealed record ReservationBody(string ResidentId, IReadOnlyList<LineRequest> Lines);

/// <summary>Response of <c>POST /stores/{storeId}/reservations</c> and <c>GET /stores/{storeId}/reservations/{code}</c>.
/// The GET adds what the counter shows before handing over: <c>residentName</c> masked (张*), <c>items</c> (the lines
/// with the items' names), the reservation's <c>loans</c> (due date, returned or not), and for a fulfilled one
/// <c>fulfilledAt</c> and, to staff and the admin, <c>fulfilledBy</c>/<c>fulfilledByName</c>.</summary>
public sealed record ReservationView(long ReservationId, string PickupCode, long HeldPoints, Instant ExpiresAt, [property: OneOf(typeof(ReservationStatus))] string Status,
    IReadOnlyList<ReservationLine> Lines, string? ResidentName = null, IReadOnlyList<PickupLineView>? Items = null, IReadOnlyList<LoanView>? Loans = null,
    Instant? FulfilledAt = null, string? FulfilledBy = null, string? FulfilledByName = null);

/// <summary>One line of a reservation as the counter shows it: the item's names, units and price.</summary>
public sealed record PickupLineView(string Sku, string NameZh, string NameEn, int Quantity, long UnitPrice, [property: OneOf(typeof(ItemKind))] string Kind);

/// <summary>Response of fulfil, cancel and return.</summary>
public sealed record ReservationStatusView(long ReservationId, [property: OneOf(typeof(ReservationStatus))] string Status);

/// <summary>Response of <c>GET /credit/{residentId}</c>; partners see <c>rated</c> and <c>tier</c> only.</summary>
public sealed record CreditView(string ResidentId, bool Rated, string? Tier, long? Score, Instant AsOf);

/// <summary>What a partner system sees of a resident's credit: whether rated, and the tier. Never the score.</summary>
public sealed record PartnerCreditView(string ResidentId, bool Rated, string? Tier, Instant AsOf);

/// <summary>Body of <c>POST /credit/lookup</c>.</summary>
public sealed record CreditLookupBody(string IdNumber, Instant? AsOf);

/// <summary>Response of <c>POST /credit/lookup</c>: tier only.</summary>
public sealed record CreditLookupView(bool Found, bool Rated, string? Tier, Instant AsOf);

/// <summary>Body of <c>POST /benefits/{code}/eligibility</c>: a resident id or an ID number.</summary>
public sealed record EligibilityBody(string? ResidentId, string? IdNumber, Instant? AsOf);

/// <summary>Body of the batch form.</summary>
public sealed record EligibilityBatchBody(IReadOnlyList<EligibilityBody> Residents, Instant? AsOf);

/// <summary>One eligibility decision on the wire.</summary>
public sealed record EligibilityView(string DecisionId, bool Eligible, bool Rated, string? Tier, int Stars, IReadOnlyList<EligibilityReason> Reasons,
    Instant AsOf, string PolicyVersion, string Benefit, string? ResidentId);

/// <summary>Response of the batch form, in request order.</summary>
public sealed record EligibilityBatchView(IReadOnlyList<EligibilityView> Decisions);

/// <summary>Response of <c>GET /volunteers/{residentId}/stars</c>.</summary>
public sealed record StarsView(string ResidentId, decimal Hours, int Stars, IReadOnlyList<StarReached> Reached);

/// <summary>Body of <c>POST /kiosk/sessions</c>.</summary>
public sealed record SessionBody(string CardNumber, string Pin);

/// <summary>A resident session for a kiosk.</summary>
public sealed record SessionView(string Token, string ResidentId, Instant ExpiresAt);

/// <summary>Body of <c>POST /keys</c>.</summary>
public sealed record KeyBody([property: OneOf(typeof(Role))] string Role, string? Scope);

/// <summary>A new API key: shown once.</summary>
public sealed record KeyView(string Id, string Key, [property: OneOf(typeof(Role))] string Role, string Scope);

/// <summary>Response of <c>POST /communities/{id}/residents</c>.</summary>
public sealed record RegisteredResidentView(string Id, string CommunityId, string DisplayName);

/// <summary>One resident found by <c>GET /communities/{id}/residents?q=</c>.</summary>
/// <param name="Id">The resident.</param>
/// <param name="DisplayName">The name.</param>
/// <param name="Status">Active or inactive.</param>
/// <param name="CardNumber">Set when the search text was this resident's card number (the desk checks a card is free
/// before registering someone with it).</param>
public sealed record ResidentSearchItem(string Id, string DisplayName, [property: OneOf(typeof(ResidentStatus))] string Status, string? CardNumber = null);

/// <summary>Response of <c>POST</c> and <c>DELETE /residents/{id}/consent</c>: consent to credit scoring as it now is.</summary>
/// <param name="ResidentId">The resident.</param>
/// <param name="Granted">Whether the resident consents.</param>
/// <param name="Since">Since when.</param>
/// <param name="By">Who recorded it.</param>
public sealed record ConsentView(string ResidentId, bool Granted, Instant Since, string By);

/// <summary>Response of <c>GET /residents/{id}/consent-history</c>: every consent and withdrawal, newest first.</summary>
public sealed record ConsentHistoryView(string ResidentId, IReadOnlyList<ConsentChangeView> Changes);

/// <summary>One consent change (同意 / 撤回同意信用评价).</summary>
/// <param name="Granted">True for consent, false for a withdrawal.</param>
/// <param name="At">When it was recorded.</param>
/// <param name="By">Who recorded it: a staff id, an API key id, or the kiosk's key when the resident did it there.</param>
/// <param name="ByName">The staff member's name, when <c>by</c> is a staff account.</param>
public sealed record ConsentChangeView(bool Granted, Instant At, string By, string? ByName);

/// <summary>Response of <c>POST /stores</c>.</summary>
public sealed record StoreView(string Id, string CommunityId, string Name);

/// <summary>Response of <c>GET /stores/{storeId}/offers/{residentId}</c>: the store's items priced for the resident.</summary>
public sealed record OffersView(IReadOnlyList<OfferView> Items);

/// <summary>One item priced for a resident.</summary>
/// <param name="Sku">The item.</param>
/// <param name="NameZh">Chinese name.</param>
/// <param name="NameEn">English name.</param>
/// <param name="Price">The list price in points.</param>
/// <param name="YourPrice">The resident's price (a tier price, if any applies).</param>
/// <param name="TierAllows">Whether the resident's credit tier meets the item's minimum.</param>
/// <param name="Stock">Units in stock.</param>
/// <param name="Kind">Goods, a service or a loan.</param>
/// <param name="MinTier">The minimum credit tier, if any.</param>
/// <param name="LoanDays">For a loan: the days it is lent for.</param>
/// <param name="PictureUrl">The item's picture, if it has one (served without a key).</param>
/// <param name="PerResidentLimit">The item's per-resident limit, if any.</param>
/// <param name="LimitLeft">Units this resident may still reserve in the limit's current day, month or year (0: the
/// limit is reached); null without a limit.</param>
public sealed record OfferView(string Sku, string NameZh, string NameEn, long Price, long YourPrice, bool TierAllows, long Stock,
    [property: OneOf(typeof(ItemKind))] string Kind, string? MinTier, int? LoanDays, string? PictureUrl = null, LimitBody? PerResidentLimit = null, long? LimitLeft = null);

/// <summary>Response of <c>GET /stores/{storeId}/items/{sku}/stock-changes</c>: the item's stock journal, newest first.</summary>
public sealed record StockChangesView(string Sku, IReadOnlyList<StockChangeView> Changes);

/// <summary>One stock change (入库 / 报损 / 盘点).</summary>
/// <param name="Kind">Receive, writeOff or correction.</param>
/// <param name="Quantity">The signed change to the free stock.</param>
/// <param name="By">Who: a staff id or an API key id.</param>
/// <param name="ByName">The staff member's name, when <c>by</c> is a staff account.</param>
/// <param name="Reason">Why.</param>
/// <param name="At">When.</param>
public sealed record StockChangeView([property: OneOf(typeof(StockChangeKind))] string Kind, long Quantity, string By, string? ByName, string Reason, Instant At);

/// <summary>Response of <c>GET /residents/{id}/reservations</c>: the latest 50 reservations and every loan.</summary>
public sealed record ResidentReservationsView(IReadOnlyList<ResidentReservationView> Reservations, IReadOnlyList<LoanView> Loans);

/// <summary>One of a resident's reservations, in any store.</summary>
public sealed record ResidentReservationView(long ReservationId, string StoreId, string PickupCode, long HeldPoints,
    [property: OneOf(typeof(ReservationStatus))] string Status, Instant ExpiresAt, IReadOnlyList<ReservationLine> Lines);

/// <summary>Something lent to a resident (信用借还).</summary>
/// <param name="Id">The loan.</param>
/// <param name="StoreId">The store that lent it.</param>
/// <param name="Sku">The item.</param>
/// <param name="Quantity">Units lent.</param>
/// <param name="DueAt">When it is due back.</param>
/// <param name="ReturnedAt">When it came back, if it has.</param>
public sealed record LoanView(long Id, string StoreId, string Sku, int Quantity, Instant DueAt, Instant? ReturnedAt);

internal static class Views
{
    public static CatalogView Of(CatalogSnapshot c) =>
        new(c.Version, c.Hash, c.EffectiveFrom, c.TimeZone.Id, c.Categories, [.. c.Indicators.Select(Of)], c.CreditTiers, c.VolunteerStars);

    public static IndicatorView Of(Indicator i) =>
        new(i.Code.Value, i.Category, i.NameZh, i.NameEn, i.Points, i.Unit.ToString().ToLowerInvariant(), i.MaxQuantity, i.Caps, i.Evidence.ToString(), i.CreditDelta,
            i.Active);

    public static EligibilityView Of(EligibilityDecision d, bool partner) =>
        new(d.Id, d.Eligible, d.Rated, d.Tier, d.Stars, d.Reasons, d.AsOf, d.PolicyVersion, d.Benefit, partner ? null : d.Resident.Value);

    public static AwardView Of(AwardDecision d, JournalEntry? entry) =>
        new(entry?.Id.Value, entry is null ? (d.Accepted ? "preview" : "refused") : "posted", d.Requested, d.Applied, d.Uncovered, d.CreditDelta, d.Steps,
            d.Explain(Catalog.Language.Zh), d.Explain(Catalog.Language.En), d.CatalogHash, d.Refusals, d.IsWarning);

    public static AwardView Of(Governance.GovernanceRecord r) =>
        Of(r.Decision, null) with
        {
            Status = r.Status == Governance.RecordStatus.Submitted ? "submitted" : "pending",
            Awarded = 0,
            RecordId = r.Id,
            PostingEndsAt = r.PostingEndsAt,
        };

    /// <summary>A statement line; who recorded it only when <paramref name="staff"/> is given (staff and admin callers).</summary>
    public static StatementItem Of(JournalEntry x, Security.StaffDirectory? staff) =>
        new(x.Id.Value, x.Kind.ToString().ToLowerInvariant(), x.Indicator?.Value, x.Points, x.Uncovered, x.OccurredAt,
            x.Explain(Catalog.Language.Zh), x.Explain(Catalog.Language.En), x.Reverses?.Value, staff is null ? null : x.RecordedBy, staff?.NameOf(x.RecordedBy), x.Reason);

    /// <summary>The line with its reversal, if it has one; who reversed only when <paramref name="staff"/> is given.</summary>
    public static StatementItem Of(JournalEntry x, JournalEntry? reversal, Security.StaffDirectory? staff) =>
        reversal is null ? Of(x, staff) : Of(x, staff) with
        {
            ReversedByEntry = reversal.Id.Value,
            ReversedAt = reversal.RecordedAt,
            ReversedBy = staff is null ? null : reversal.RecordedBy,
            ReversedByName = staff?.NameOf(reversal.RecordedBy),
        };

    public static ReservationView Of(Reservation r) =>
        new(r.Id, r.PickupCode, r.HeldPoints, r.ExpiresAt, r.Status.ToString().ToLowerInvariant(), r.Lines);
}
