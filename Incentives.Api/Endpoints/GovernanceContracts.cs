using Incentives.Api.OpenApi;
using Incentives.Governance;
using NodaTime;

namespace Incentives.Api.Endpoints;

/// <summary>Body of <c>POST /records/{id}/rejection</c>, <c>/objections</c>: the reason (1–500 characters).</summary>
public sealed record ReasonBody(string? Reason);

/// <summary>Body of <c>POST /records/{id}/decision</c>: a manager confirms or voids an objected record.</summary>
public sealed record ObjectionDecisionBody(bool Confirm, string? Reason);

/// <summary>Body of <c>POST /residents/{id}/appeals</c>: the deduction entry or the credit record, and why.</summary>
public sealed record AppealBody(long? EntryId, long? CreditRecordId, string? Reason);

/// <summary>Body of <c>POST /appeals/{id}/decision</c>; <c>reducedTo</c> is the new size of a reduced deduction.</summary>
public sealed record AppealDecisionBody([property: OneOf("upheld", "reduced", "voided")] string Outcome, long? ReducedTo, string? Reason);

/// <summary>One step of a record's history.</summary>
public sealed record StepView([property: OneOf(typeof(GovernanceStepKind))] string Kind, Instant At, string By, string? ByName, string? Reason, long? EntryId);

/// <summary>A record in the governance loop (审核/公示). <c>points</c> is what the rules award (negative: deduction).</summary>
public sealed record RecordView(long Id, string ResidentId, string ResidentName, string Indicator, string IndicatorNameZh, string IndicatorNameEn, long Points, int CreditDelta,
    [property: OneOf(typeof(RecordStatus))] string Status, string StatusZh, string? SubmittedBy, string? SubmittedByName, Instant SubmittedAt, Instant OccurredAt,
    bool NeedsApproval, bool NeedsPosting, Instant? PostingEndsAt, long? EntryId, string Explanation, string ExplanationEn, IReadOnlyList<StepView> Steps);

/// <summary>An appeal (复核); <c>overdue</c> when still open past <c>dueAt</c>. Names of staff (<c>byName</c>,
/// <c>decidedByName</c>) are given to staff only; at a kiosk they are null.</summary>
public sealed record AppealView(long Id, string ResidentId, long? EntryId, long? CreditRecordId, string By, Instant At, string Reason, Instant DueAt, bool Overdue,
    [property: OneOf(typeof(AppealStatus))] string Status, string? DecidedBy, Instant? DecidedAt, string? DecisionReason, long? ReducedTo, long? DecisionEntryId,
    string? ResidentName = null, string? ByName = null, string? DecidedByName = null);

/// <summary>One line of the posting board (公示栏): a masked name (张*), never an id, ID number or phone number.
/// <c>recordId</c> is given only to signed-in kiosks and staff (to object); the public board has none.</summary>
public sealed record BoardItem(long? RecordId, string Name, string Indicator, string IndicatorNameZh, string IndicatorNameEn, long Points, LocalDate OccurredOn,
    Instant PostingEndsAt, LocalDateTime PostingEndsLocal, [property: OneOf("pending", "objected")] string Status, string StatusZh);

/// <summary>The posting board of a community.</summary>
public sealed record BoardView(string Community, string CommunityName, Instant GeneratedAt, IReadOnlyList<BoardItem> Items);
