using Incentives.Credit;
using Incentives.Ledger;
using Incentives.Mall;
using Incentives.Rules;
using NodaTime;

namespace Incentives.Api.Endpoints;

// The wire contract partner systems code against: camelCase JSON, ISO-8601 instants. Names listed in issue 6 stay.

/// <summary>Body of <c>POST /communities</c>.</summary>
public sealed record CommunityBody(string Id, string Name, string? TimeZone);

/// <summary>A community.</summary>
public sealed record CommunityView(string Id, string Name, string TimeZone);

/// <summary>Body of <c>POST /communities/{id}/residents</c>. The ID number is kept only as an HMAC.</summary>
public sealed record ResidentBody(string DisplayName, string? CardNumber, string? Pin, string? IdNumber, string? Id);

/// <summary>A balance.</summary>
public sealed record BalanceView(long Available, long Pending, long Reserved, long LifetimeEarned);

/// <summary>A credit summary.</summary>
public sealed record CreditSummary(bool Rated, string? Tier, long? Score);

/// <summary>Response of <c>GET /residents/{id}</c>.</summary>
public sealed record ResidentView(string Id, string CommunityId, string DisplayName, string Status, BalanceView Balance, CreditSummary Credit, int Stars,
    long ExpiringIn30Days, long ExpiringIn90Days);

/// <summary>Body of <c>POST /awards</c> and <c>/awards/preview</c>. <c>actId</c> names the act the record documents:
/// records of one act count once, at the highest value.</summary>
public sealed record AwardBody(string ResidentId, string Indicator, decimal Quantity, Instant? OccurredAt, string? Evidence, string? Note, string? ActId = null);

/// <summary>Response of <c>POST /awards</c>: <c>awarded</c> is what was actually applied to the balance;
/// <c>uncovered</c> the part of a deduction the balance could not cover (recorded, not owed).</summary>
public sealed record AwardView(long? EntryId, string Status, long Requested, long Awarded, long Uncovered, int CreditDelta, IReadOnlyList<ExplanationStep> Explanation,
    string ExplanationText, string ExplanationTextEn, string CatalogHash, IReadOnlyList<Refusal> Refusals);

/// <summary>Body of <c>POST /entries/{id}/reversal</c>.</summary>
public sealed record ReversalBody(string Reason);

/// <summary>One statement line: <c>points</c> is what the entry moved; <c>uncovered</c> what it could not take.</summary>
public sealed record StatementItem(long EntryId, string Kind, string? Indicator, long Points, long Uncovered, Instant At, string? Explanation, string? ExplanationEn, long? Reverses);

/// <summary>Response of <c>GET /residents/{id}/statement</c>.</summary>
public sealed record StatementView(IReadOnlyList<StatementItem> Items, int Page, int PageSize, long Total);

/// <summary>A per-resident limit on the wire.</summary>
public sealed record LimitBody(int Quantity, string Period);

/// <summary>Body of <c>POST /stores/{storeId}/items</c>.</summary>
public sealed record ItemBody(string Sku, string NameZh, string NameEn, long Price, long Stock, string Kind, string? MinTier, LimitBody? PerResidentLimit,
    IReadOnlyList<TierPrice>? TierPrices, int? LoanDays, string? OverdueIndicator, Instant? ActiveFrom, Instant? ActiveTo);

/// <summary>One item as <c>GET /stores/{storeId}/items</c> shows it.</summary>
public sealed record ItemView(string Sku, string NameZh, string NameEn, long Price, long Stock, string Kind, string? MinTier, LimitBody? PerResidentLimit,
    IReadOnlyList<TierPrice> TierPrices, int? LoanDays);

/// <summary>Response of <c>GET /stores/{storeId}/items</c>.</summary>
public sealed record ItemsView(IReadOnlyList<ItemView> Items);

/// <summary>Body of <c>POST /stores/{storeId}/items/{sku}/stock</c>.</summary>
public sealed record StockBody(string Kind, long Quantity, string Reason);

/// <summary>Body of <c>POST /stores/{storeId}/reservations</c>.</summary>
public sealed record ReservationBody(string ResidentId, IReadOnlyList<LineRequest> Lines);

/// <summary>Response of <c>POST /stores/{storeId}/reservations</c>.</summary>
public sealed record ReservationView(long ReservationId, string PickupCode, long HeldPoints, Instant ExpiresAt, string Status, IReadOnlyList<ReservationLine> Lines);

/// <summary>Response of fulfil, cancel and return.</summary>
public sealed record ReservationStatusView(long ReservationId, string Status);

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
public sealed record KeyBody(string Role, string? Scope);

/// <summary>A new API key: shown once.</summary>
public sealed record KeyView(string Id, string Key, string Role, string Scope);

internal static class Views
{
    public static EligibilityView Of(EligibilityDecision d, bool partner) =>
        new(d.Id, d.Eligible, d.Rated, d.Tier, d.Stars, d.Reasons, d.AsOf, d.PolicyVersion, d.Benefit, partner ? null : d.Resident.Value);

    public static AwardView Of(AwardDecision d, JournalEntry? entry) =>
        new(entry?.Id.Value, entry is null ? (d.Accepted ? "preview" : "refused") : "posted", d.Requested, d.Applied, d.Uncovered, d.CreditDelta, d.Steps,
            d.Explain(Catalog.Language.Zh), d.Explain(Catalog.Language.En), d.CatalogHash, d.Refusals);

    public static StatementItem Of(JournalEntry x) =>
        new(x.Id.Value, x.Kind.ToString().ToLowerInvariant(), x.Indicator?.Value, x.Points, x.Uncovered, x.OccurredAt,
            x.Explain(Catalog.Language.Zh), x.Explain(Catalog.Language.En), x.Reverses?.Value);

    public static ReservationView Of(Reservation r) =>
        new(r.Id, r.PickupCode, r.HeldPoints, r.ExpiresAt, r.Status.ToString().ToLowerInvariant(), r.Lines);
}
