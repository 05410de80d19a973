using Incentives.Catalog;
using Incentives.Ledger;
using NodaTime;

namespace Incentives.Rules;

/// <summary>
/// The result of evaluating a behaviour record against the catalog (积分核定结果): requested and awarded points,
/// the credit delta, the ordered explanation steps and the catalog version and hash it was made under; or the
/// reasons it was refused. A value: evaluation never throws for a business outcome.
/// </summary>
public sealed record AwardDecision
{
    /// <summary>Who the record is about.</summary>
    public required ResidentId Resident { get; init; }

    /// <summary>The indicator as recorded.</summary>
    public required IndicatorCode Indicator { get; init; }

    /// <summary>The indicator's Chinese name, empty when the indicator is unknown.</summary>
    public string IndicatorNameZh { get; init; } = string.Empty;

    /// <summary>The indicator's English name, empty when the indicator is unknown.</summary>
    public string IndicatorNameEn { get; init; } = string.Empty;

    /// <summary>The unit of quantity.</summary>
    public IndicatorUnit Unit { get; init; }

    /// <summary>The recorded quantity.</summary>
    public decimal Quantity { get; init; }

    /// <summary>The event's date in the community's zone.</summary>
    public LocalDate LocalDate { get; init; }

    /// <summary>What the rules give before caps: base × quantity, rounded, with any repeat multiplier.</summary>
    public long Requested { get; init; }

    /// <summary>What the rules award after every cap and the act rule (negative for a deduction). Cap counters count this.</summary>
    public long Awarded { get; init; }

    /// <summary>What the posting actually moved: <see cref="Awarded"/>, except for a deduction larger than the
    /// available balance, which takes the balance to 0. Equal to <see cref="Awarded"/> in a preview.</summary>
    public long Applied { get; init; }

    /// <summary>The part of a deduction that could not be taken (recorded, not owed); 0 otherwise.</summary>
    public long Uncovered { get; init; }

    /// <summary>The act the record documents, if named.</summary>
    public string? ActId { get; init; }

    /// <summary>The change to the credit score this record carries (0 when the indicator has none).</summary>
    public int CreditDelta { get; init; }

    /// <summary>Whether this is a deduction repeated within its validity window.</summary>
    public bool IsRepeat { get; init; }

    /// <summary>Whether this is the first offence of a warning-first indicator: recorded as a warning (0 points, no
    /// credit effect); the next offence within the window deducts.</summary>
    public bool IsWarning { get; init; }

    /// <summary>The explanation, in order; the deltas add up to <see cref="Applied"/>.</summary>
    public IReadOnlyList<ExplanationStep> Steps { get; init; } = [];

    /// <summary>The catalog version applied.</summary>
    public string CatalogVersion { get; init; } = string.Empty;

    /// <summary>The SHA-256 of the catalog applied.</summary>
    public string CatalogHash { get; init; } = string.Empty;

    /// <summary>Why the record is refused; empty when accepted.</summary>
    public IReadOnlyList<Refusal> Refusals { get; init; } = [];

    /// <summary>Whether the record would be (or was) posted.</summary>
    public bool Accepted => Refusals.Count == 0;

    /// <summary>Renders the decision as one readable line, e.g.
    /// <c>VOL-01 常规志愿服务: 2 × 2.5 h = 5 → 日上限 8 (已得 3) → 5</c>.</summary>
    /// <param name="language">Chinese or English.</param>
    /// <returns>The line.</returns>
    public string Explain(Language language = Language.Zh) => ExplanationRenderer.Render(this, language);
}
