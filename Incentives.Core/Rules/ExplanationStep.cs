namespace Incentives.Rules;

/// <summary>The kind of one step in an award's explanation.</summary>
public enum StepKind
{
    /// <summary>Points per unit × quantity.</summary>
    Base,

    /// <summary>Rounding toward zero to whole points.</summary>
    Rounding,

    /// <summary>A deduction repeated within its validity window is multiplied (有效期内重复扣分加倍).</summary>
    RepeatDeduction,

    /// <summary>A cap of the indicator for one period.</summary>
    IndicatorCap,

    /// <summary>A cap on all positive points of the resident for one period.</summary>
    GlobalCap,

    /// <summary>Another record of the same act already counts (一事多项, 就高计分): only what exceeds it is paid.</summary>
    Act,

    /// <summary>A deduction larger than the available balance: the balance goes to 0 and the rest is recorded as
    /// uncovered, not owed.</summary>
    BalanceFloor,

    /// <summary>The first offence of a warning-first indicator within its window: recorded as a warning, 0 points
    /// (首次违规, 予以警告).</summary>
    Warning,
}

/// <summary>
/// One step of an award's explanation with its actual values. <see cref="Delta"/> is what the step changed; the
/// deltas of all steps add up to the awarded points, and <see cref="Result"/> is the running total after the step.
/// </summary>
/// <param name="Kind">What the step is.</param>
/// <param name="Delta">The change this step made (the base step's delta is the base amount).</param>
/// <param name="Result">The amount after this step.</param>
/// <param name="Rate">Points per unit (base step).</param>
/// <param name="Quantity">Quantity (base step).</param>
/// <param name="Multiplier">The repeat multiplier (repeat step).</param>
/// <param name="Period">The period a cap counts over (cap steps).</param>
/// <param name="Limit">The cap (cap steps).</param>
/// <param name="UsedBefore">What the resident already had in that period (cap steps); the act's value so far (act
/// step); the available balance (balance-floor step).</param>
/// <param name="RelatedDate">The date of the other offence that makes this one a repeat (repeat step).</param>
/// <param name="RelatedEntry">The entry that stands for the act (act step): this record's own id when it now stands
/// is unknown before posting, so it names the earlier record.</param>
/// <param name="RelatedIndicator">That entry's indicator (act step).</param>
public sealed record ExplanationStep(
    StepKind Kind,
    decimal Delta,
    decimal Result,
    decimal? Rate = null,
    decimal? Quantity = null,
    int? Multiplier = null,
    PeriodKey? Period = null,
    long? Limit = null,
    long? UsedBefore = null,
    NodaTime.LocalDate? RelatedDate = null,
    long? RelatedEntry = null,
    string? RelatedIndicator = null);
