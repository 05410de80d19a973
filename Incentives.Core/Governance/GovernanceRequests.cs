namespace Incentives.Governance;

/// <summary>Approve (审核通过) or reject (驳回) a submitted record. The approver must be another person than the submitter.</summary>
/// <param name="Record">The record's id.</param>
/// <param name="By">Who reviews it (a staff id).</param>
/// <param name="IdempotencyKey">The caller's key.</param>
/// <param name="Reason">Why; required to reject.</param>
public sealed record ReviewRequest(long Record, string By, string IdempotencyKey, string? Reason = null);

/// <summary>Object (提出异议) to a record during its public posting.</summary>
/// <param name="Record">The record's id.</param>
/// <param name="By">Who objects (a resident id or a staff id).</param>
/// <param name="Reason">Why; required.</param>
/// <param name="IdempotencyKey">The caller's key.</param>
public sealed record ObjectionRequest(long Record, string By, string Reason, string IdempotencyKey);

/// <summary>A manager's decision on an objected record: confirm it, or void it.</summary>
/// <param name="Record">The record's id.</param>
/// <param name="Confirm">True to confirm, false to void.</param>
/// <param name="Reason">Why; required.</param>
/// <param name="By">The manager.</param>
/// <param name="IdempotencyKey">The caller's key.</param>
public sealed record ObjectionDecisionRequest(long Record, bool Confirm, string Reason, string By, string IdempotencyKey);

/// <summary>Appeal (申请复核) a deduction entry or a credit record; exactly one of the two is given.</summary>
/// <param name="Resident">Whose record.</param>
/// <param name="Entry">The deduction entry's id.</param>
/// <param name="CreditRecord">The credit record's id.</param>
/// <param name="Reason">Why; required.</param>
/// <param name="By">Who appeals (the resident, or staff on their behalf).</param>
/// <param name="IdempotencyKey">The caller's key.</param>
public sealed record AppealRequest(Ledger.ResidentId Resident, long? Entry, long? CreditRecord, string Reason, string By, string IdempotencyKey);

/// <summary>Decide an appeal (复核决定).</summary>
/// <param name="Appeal">The appeal's id.</param>
/// <param name="Outcome">Upheld, reduced or voided.</param>
/// <param name="Reason">Why; required.</param>
/// <param name="By">Who decides (a manager).</param>
/// <param name="IdempotencyKey">The caller's key.</param>
/// <param name="ReducedTo">For <see cref="AppealStatus.Reduced"/>: the deduction's new size in points, or for a
/// credit-only record the new credit delta's size; smaller than before.</param>
public sealed record AppealDecisionRequest(long Appeal, AppealStatus Outcome, string Reason, string By, string IdempotencyKey, long? ReducedTo = null);

/// <summary>The result of recording behaviour through the loop: the entry, when it counted at once; or the record
/// that entered the loop.</summary>
/// <param name="Entry">The award or deduction entry, when the record needed neither approval nor posting.</param>
/// <param name="Record">The record in the loop, otherwise.</param>
public sealed record Submission(Ledger.JournalEntry? Entry, GovernanceRecord? Record);
