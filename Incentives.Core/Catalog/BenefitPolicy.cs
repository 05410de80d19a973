using NodaTime;

namespace Incentives.Catalog;

/// <summary>A benefit granted by credit grade and/or volunteer stars (信易+ 激励政策).</summary>
/// <param name="Code">Stable code, e.g. <c>HEATING-SUBSIDY</c>.</param>
/// <param name="NameZh">Chinese name.</param>
/// <param name="NameEn">English name.</param>
/// <param name="MinTier">The lowest grade that qualifies, if the benefit is graded.</param>
/// <param name="MinStars">The fewest volunteer stars that qualify, if star-based.</param>
/// <param name="Amount">The amount granted, if any.</param>
/// <param name="Unit">The amount's unit, e.g. CNY or "% off".</param>
/// <param name="ValidFrom">First local date of validity, inclusive.</param>
/// <param name="ValidTo">Last local date of validity, inclusive.</param>
/// <param name="Communities">The communities it applies to; empty means all.</param>
public sealed record BenefitPolicy(
    string Code,
    string NameZh,
    string NameEn,
    string? MinTier,
    int? MinStars,
    decimal? Amount,
    string? Unit,
    LocalDate? ValidFrom,
    LocalDate? ValidTo,
    IReadOnlyList<string> Communities);
