using Incentives.Storage;

namespace Incentives.Governance;

/// <summary>What the governance loop needs from storage: records in the loop, appeals, and staff budgets.</summary>
internal interface IGovernanceStore
{
    IDocumentTable<GovernanceRecordDoc, long> Records { get; }

    IDocumentTable<AppealDoc, long> Appeals { get; }

    IDocumentTable<BudgetDoc, string> Budgets { get; }

    /// <summary>Pending records whose posting ends at or before <paramref name="ticks"/>, soonest first.</summary>
    IReadOnlyList<GovernanceRecordDoc> PostingsDue(long ticks);

    /// <summary>A community's records in the given statuses, oldest first, at most <paramref name="limit"/>.</summary>
    IReadOnlyList<GovernanceRecordDoc> RecordsOf(string community, IReadOnlyCollection<int> statuses, int limit);

    /// <summary>A resident's records, newest first.</summary>
    IReadOnlyList<GovernanceRecordDoc> RecordsOfResident(string resident);

    /// <summary>The record whose award or deduction entry is <paramref name="entry"/>, or null.</summary>
    GovernanceRecordDoc? RecordOfEntry(long entry);

    /// <summary>A community's appeals in the given statuses, oldest first, at most <paramref name="limit"/>.</summary>
    IReadOnlyList<AppealDoc> AppealsOf(string community, IReadOnlyCollection<int> statuses, int limit);

    /// <summary>A resident's appeals, newest first.</summary>
    IReadOnlyList<AppealDoc> AppealsOfResident(string resident);

    /// <summary>The appeals of a target ("entry:N", "credit:N"), oldest first.</summary>
    IReadOnlyList<AppealDoc> AppealsOfTarget(string target);
}
