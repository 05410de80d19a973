using Incentives.Catalog;
using Incentives.Ledger;
using Incentives.Rules;
using NodaTime;

namespace Incentives.Governance;

/// <summary>Where a record stands in the governance loop (docs/governance.md).</summary>
public enum RecordStatus
{
    /// <summary>已提交, 待审核: visible, counts nowhere, waits for a second person's approval.</summary>
    Submitted,

    /// <summary>公示中: approved (or needing no approval) and posted in public; shown as pending, not spendable, not in credit.</summary>
    Pending,

    /// <summary>有异议: objected to during its posting; waits for a manager's decision.</summary>
    Objected,

    /// <summary>已确认: counts (points available, credit record in force).</summary>
    Confirmed,

    /// <summary>已驳回: rejected at review; leaves no trace but its own steps.</summary>
    Rejected,

    /// <summary>已作废: voided after an objection; leaves no trace but its own steps and entries.</summary>
    Voided,
}

/// <summary>A step of a record's history.</summary>
public enum GovernanceStepKind
{
    /// <summary>Submitted by the recorder.</summary>
    Submitted,

    /// <summary>Approved by a second person.</summary>
    Approved,

    /// <summary>Rejected at review, with a reason.</summary>
    Rejected,

    /// <summary>Posted in public until the posting's end.</summary>
    Posted,

    /// <summary>Objected to, with a reason.</summary>
    Objected,

    /// <summary>Confirmed: by the end of its posting, by a manager after an objection, or at once.</summary>
    Confirmed,

    /// <summary>Voided by a manager after an objection, with a reason.</summary>
    Voided,
}

/// <summary>One step of a record's history; each carries the hash of the one before, so a changed history shows.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="At">When.</param>
/// <param name="By">Who (a staff id, a resident id for a resident's objection, <c>system</c> for the due-work job).</param>
/// <param name="Reason">Why, for rejections, objections and decisions.</param>
/// <param name="Entry">The journal entry the step wrote, if any.</param>
/// <param name="Hash">HMAC-SHA-256 over the previous step's hash and this step.</param>
public sealed record GovernanceStep(GovernanceStepKind Kind, Instant At, string By, string? Reason, EntryId? Entry, string Hash);

/// <summary>
/// A record in the governance loop (审核 → 公示 → 确认): an award or deduction that needs a second person's approval
/// and/or a public posting before it counts. Its evaluation (points, caps, repeat, explanation) is fixed when it is
/// submitted, and its caps are held from then on, so approving later never pays more than the caps allowed.
/// </summary>
public sealed record GovernanceRecord
{
    /// <summary>The record's id.</summary>
    public required long Id { get; init; }

    /// <summary>Whose record.</summary>
    public required ResidentId Resident { get; init; }

    /// <summary>The resident's community.</summary>
    public required CommunityId Community { get; init; }

    /// <summary>The indicator.</summary>
    public required IndicatorCode Indicator { get; init; }

    /// <summary>The points the rules award (negative for a deduction).</summary>
    public required long Points { get; init; }

    /// <summary>The credit delta it carries once confirmed.</summary>
    public int CreditDelta { get; init; }

    /// <summary>When the behaviour happened.</summary>
    public required Instant OccurredAt { get; init; }

    /// <summary>Where it stands.</summary>
    public required RecordStatus Status { get; init; }

    /// <summary>Who submitted it.</summary>
    public required string SubmittedBy { get; init; }

    /// <summary>When it was submitted.</summary>
    public required Instant SubmittedAt { get; init; }

    /// <summary>Whether a second person must approve it.</summary>
    public bool NeedsApproval { get; init; }

    /// <summary>Whether it is posted in public before it counts.</summary>
    public bool NeedsPosting { get; init; }

    /// <summary>How many days its posting lasts.</summary>
    public int PostingDays { get; init; }

    /// <summary>When its posting ends (set once posted): the instant it is confirmed unless objected to.</summary>
    public Instant? PostingEndsAt { get; init; }

    /// <summary>The award or deduction entry, once one exists (an award's at posting, a deduction's at confirmation).</summary>
    public EntryId? Entry { get; init; }

    /// <summary>Evidence note.</summary>
    public string? Evidence { get; init; }

    /// <summary>The evaluation made at submission, with its explanation.</summary>
    public required AwardDecision Decision { get; init; }

    /// <summary>The history, oldest first.</summary>
    public IReadOnlyList<GovernanceStep> Steps { get; init; } = [];

    /// <summary>The idempotency key it was submitted with.</summary>
    public required string IdempotencyKey { get; init; }
}
