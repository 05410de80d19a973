namespace Incentives.Catalog;

/// <summary>
/// Limits on the points one resident can get from one indicator per period of the community's calendar (上限).
/// Each is null when there is none; a deduction's caps are negative and limit the points taken.
/// </summary>
/// <param name="Day">Per local calendar day.</param>
/// <param name="Month">Per local calendar month.</param>
/// <param name="Year">Per local calendar year.</param>
/// <param name="Lifetime">Over the resident's whole history.</param>
public sealed record Caps(long? Day, long? Month, long? Year, long? Lifetime)
{
    /// <summary>No caps at all.</summary>
    public static Caps None { get; } = new(null, null, null, null);
}
