namespace Incentives.Catalog;

/// <summary>One credit grade (信用等级) with inclusive score bounds; null means unbounded on that side.</summary>
/// <param name="Code">The grade's code, e.g. <c>AAA</c>.</param>
/// <param name="NameZh">Chinese name, e.g. 诚信模范.</param>
/// <param name="NameEn">English name.</param>
/// <param name="Min">The lowest score of the grade, inclusive.</param>
/// <param name="Max">The highest score of the grade, inclusive.</param>
public sealed record CreditTier(string Code, string NameZh, string NameEn, int? Min, int? Max)
{
    /// <summary>Whether <paramref name="score"/> falls in this grade.</summary>
    /// <param name="score">A credit score.</param>
    /// <returns>True when <c>Min ≤ score ≤ Max</c>.</returns>
    public bool Contains(long score) => (Min is null || score >= Min) && (Max is null || score <= Max);
}
