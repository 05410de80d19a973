using NodaTime;

namespace Incentives.Catalog;

/// <summary>One behaviour the catalog scores (积分指标): points per unit, caps, evidence and credit effect.</summary>
/// <param name="Code">The stable code, e.g. <c>VOL-01</c>.</param>
/// <param name="Category">The category code, the code's first three letters.</param>
/// <param name="NameZh">Chinese name.</param>
/// <param name="NameEn">English name.</param>
/// <param name="Points">Points per unit; negative for a deduction, never zero.</param>
/// <param name="Unit">What one unit of quantity is.</param>
/// <param name="MaxQuantity">The largest quantity one record may carry.</param>
/// <param name="Caps">Per-period limits, with the same sign as <paramref name="Points"/>.</param>
/// <param name="Evidence">The proof required.</param>
/// <param name="CreditDelta">The change to the credit score (信用分) per record, when the indicator has one.</param>
/// <param name="Active">Whether new records may use it.</param>
/// <param name="RepeatWindowMonths">For a deduction: how long after an offence the same offence counts double
/// (有效期内重复扣分加倍). Null: the credit validity of the indicator's credit delta (or of its points, when it has none).</param>
/// <param name="WarningFirst">For a deduction: the first offence within its window is recorded as a warning (首次警告):
/// 0 points, no credit effect, visible and explained; later ones deduct (a warning never makes one a repeat).</param>
/// <param name="Approval">Which records need a second person's approval (审核); null: the catalog's default.</param>
/// <param name="Posting">Which records are posted in public (公示) before they count; null: the catalog's default.</param>
/// <param name="PostingDays">How many days its postings last; null: the catalog's default.</param>
public sealed record Indicator(
    IndicatorCode Code,
    string Category,
    string NameZh,
    string NameEn,
    long Points,
    IndicatorUnit Unit,
    decimal MaxQuantity,
    Caps Caps,
    EvidenceLevel Evidence,
    int? CreditDelta,
    bool Active,
    int? RepeatWindowMonths = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    bool WarningFirst = false,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    ReviewRule? Approval = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    ReviewRule? Posting = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    int? PostingDays = null)
{
    /// <summary>Whether this indicator takes points away (扣分项).</summary>
    public bool IsDeduction => Points < 0;

    /// <summary>Whether records of it are volunteer service hours (unit hour in the volunteering category): they count
    /// toward stars in full, and are recorded even when the points caps leave nothing to award.</summary>
    public bool CountsServiceHours => Unit == IndicatorUnit.Hour && Category == "VOL";

    /// <summary>How long an offence of this indicator makes a later one (or an earlier one recorded later) a repeat:
    /// its own <see cref="RepeatWindowMonths"/>, else the validity of the credit record it makes.</summary>
    /// <param name="validity">The catalog's credit validity table.</param>
    /// <returns>The window, as a calendar period.</returns>
    public Period RepeatWindow(CreditValidity validity)
    {
        ArgumentNullException.ThrowIfNull(validity);
        return RepeatWindowMonths is { } months
            ? Period.FromMonths(months)
            : validity.DeductionValidity(Math.Abs((long)(CreditDelta is < 0 ? CreditDelta.Value : Points)));
    }

    /// <summary>The name in the requested language.</summary>
    /// <param name="language">The language.</param>
    /// <returns><see cref="NameZh"/> or <see cref="NameEn"/>.</returns>
    public string Name(Language language) => language == Language.Zh ? NameZh : NameEn;
}
