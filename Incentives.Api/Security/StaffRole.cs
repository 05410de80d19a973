namespace Incentives.Api.Security;

/// <summary>What a staff member may do (DESIGN.md §8). Hierarchical, in this order: a manager may do what a reviewer
/// may, a reviewer what a recorder may, so <c>role &gt;= needed</c> is the whole check.</summary>
public enum StaffRole
{
    /// <summary>Records behaviour, registers residents, serves the counter.</summary>
    Recorder,

    /// <summary>A recorder who also reviews (approvals come with governance).</summary>
    Reviewer,

    /// <summary>A reviewer who also manages the community's staff accounts.</summary>
    Manager,
}
