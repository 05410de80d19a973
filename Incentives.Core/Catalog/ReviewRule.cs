namespace Incentives.Catalog;

/// <summary>When a record of an indicator needs a step of the governance loop (a second person's approval, 审核; a
/// public posting, 公示).</summary>
public enum ReviewMode
{
    /// <summary>Never.</summary>
    None,

    /// <summary>Every record that moves points.</summary>
    Always,

    /// <summary>Awards of at least <see cref="ReviewRule.Threshold"/> points, and every deduction.</summary>
    AtOrAbove,
}

/// <summary>Which records of an indicator need a governance step. In rules files: <c>"none"</c>, <c>"always"</c> or
/// <c>{ "atOrAbove": 10 }</c> (awards of 10 points or more, and every deduction — REFERENCE.md §1).</summary>
/// <param name="Mode">The mode.</param>
/// <param name="Threshold">For <see cref="ReviewMode.AtOrAbove"/>: the smallest award that needs the step.</param>
public sealed record ReviewRule(ReviewMode Mode, long Threshold = 0)
{
    /// <summary>No step.</summary>
    public static ReviewRule None { get; } = new(ReviewMode.None);

    /// <summary>Whether a record moving <paramref name="points"/> needs the step. A record that moves no points (a
    /// warning, an award capped to 0) never does: there is nothing to review.</summary>
    /// <param name="points">The points the rules award (negative for a deduction).</param>
    /// <returns>True when the step is needed.</returns>
    public bool Applies(long points) => points != 0 && Mode switch
    {
        ReviewMode.Always => true,
        ReviewMode.AtOrAbove => points < 0 || points >= Threshold,
        _ => false,
    };
}
