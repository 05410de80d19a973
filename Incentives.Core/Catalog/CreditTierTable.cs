namespace Incentives.Catalog;

/// <summary>
/// The credit grade table: a base score for a person with no records and grades from highest to lowest that
/// cover every score exactly once (validated at load).
/// </summary>
/// <param name="Name">The preset's name, e.g. "Wendeng 2020".</param>
/// <param name="Base">The score of a person with no records.</param>
/// <param name="Tiers">Grades, highest first.</param>
public sealed record CreditTierTable(string Name, int Base, IReadOnlyList<CreditTier> Tiers)
{
    /// <summary>The grade that holds <paramref name="score"/>.</summary>
    /// <param name="score">A credit score.</param>
    /// <returns>The grade; the lowest one if none holds it (cannot happen for a validated table).</returns>
    public CreditTier TierFor(long score)
    {
        foreach (var tier in Tiers)
        {
            if (tier.Contains(score))
            {
                return tier;
            }
        }

        return Tiers[^1];
    }
}
