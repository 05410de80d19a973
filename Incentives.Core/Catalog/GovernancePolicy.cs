namespace Incentives.Catalog;

/// <summary>
/// The catalog's governance loop (docs/governance.md): which records need a second person's approval (审核) and a
/// public posting (公示), how long postings last, how much one staff member may issue a day, and the appeal (复核)
/// deadlines. Indicators may override the approval, the posting and its length.
/// </summary>
/// <param name="Approval">Default: which records need approval by a second person.</param>
/// <param name="Posting">Default: which records are posted in public before they count.</param>
/// <param name="PostingDays">Default length of a posting, in days of the community's zone (3).</param>
/// <param name="StaffDailyBudget">The points one staff member may award per local day through the loop; null for no limit.</param>
/// <param name="AppealDays">Days after confirmation a deduction or credit record may be appealed (7).</param>
/// <param name="AppealDecisionDays">Days within which an appeal must be decided (15).</param>
public sealed record GovernancePolicy(ReviewRule Approval, ReviewRule Posting, int PostingDays, long? StaffDailyBudget, int AppealDays, int AppealDecisionDays)
{
    /// <summary>No loop: every record counts at once (what a catalog without a <c>governance</c> section gets).</summary>
    public static GovernancePolicy None { get; } = new(ReviewRule.None, ReviewRule.None, 3, null, 7, 15);

    /// <summary>Whether a record of <paramref name="indicator"/> moving <paramref name="points"/> needs approval.</summary>
    /// <param name="indicator">The indicator.</param>
    /// <param name="points">The points the rules award.</param>
    /// <returns>True when a second person must approve it.</returns>
    public bool NeedsApproval(Indicator indicator, long points)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        return (indicator.Approval ?? Approval).Applies(points);
    }

    /// <summary>Whether a record of <paramref name="indicator"/> moving <paramref name="points"/> is posted in public.</summary>
    /// <param name="indicator">The indicator.</param>
    /// <param name="points">The points the rules award.</param>
    /// <returns>True when it is posted before it counts.</returns>
    public bool NeedsPosting(Indicator indicator, long points)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        return (indicator.Posting ?? Posting).Applies(points);
    }

    /// <summary>How many days records of <paramref name="indicator"/> stay posted.</summary>
    /// <param name="indicator">The indicator.</param>
    /// <returns>The indicator's own length, else the default.</returns>
    public int PostingDaysFor(Indicator indicator)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        return indicator.PostingDays ?? PostingDays;
    }
}
