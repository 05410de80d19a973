using NodaTime;

namespace Incentives.Catalog;

/// <summary>The record of the democratic adoption of a rules version (民主程序通过记录).</summary>
/// <param name="Date">When it was adopted.</param>
/// <param name="Meeting">Which meeting adopted it.</param>
/// <param name="Vote">The vote or minutes reference.</param>
public sealed record Adoption(LocalDate? Date, string? Meeting, string? Vote);

/// <summary>Limits on positive points across all indicators for one resident.</summary>
/// <param name="Month">Per local calendar month; null for none.</param>
/// <param name="Year">Per local calendar year; null for none.</param>
public sealed record GlobalCaps(long? Month, long? Year);

/// <summary>How long credit records count (有效期), by kind and size.</summary>
/// <param name="SmallDeductionMaxAbs">Deductions up to this size (inclusive) are "small".</param>
/// <param name="SmallDeductionYears">Validity of a small deduction.</param>
/// <param name="LargeDeductionYears">Validity of a larger deduction.</param>
/// <param name="AdditionYears">Validity of an addition.</param>
public sealed record CreditValidity(int SmallDeductionMaxAbs, int SmallDeductionYears, int LargeDeductionYears, int AdditionYears)
{
    /// <summary>The validity period of a deduction of the given size.</summary>
    /// <param name="magnitude">The deduction's absolute size.</param>
    /// <returns>The validity in years.</returns>
    public Period DeductionValidity(long magnitude) =>
        Period.FromYears(magnitude <= SmallDeductionMaxAbs ? SmallDeductionYears : LargeDeductionYears);

    /// <summary>How many years a credit record of the given delta counts: by size for deductions, fixed for additions.</summary>
    /// <param name="delta">The record's delta.</param>
    /// <returns>The validity in years.</returns>
    public int YearsFor(int delta) => delta < 0 ? DeductionValidity(Math.Abs((long)delta)).Years : AdditionYears;
}
