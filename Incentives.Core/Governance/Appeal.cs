using Incentives.Ledger;
using NodaTime;

namespace Incentives.Governance;

/// <summary>Where an appeal (复核) stands.</summary>
public enum AppealStatus
{
    /// <summary>待复核: the contested record does not count toward credit until decided.</summary>
    Open,

    /// <summary>维持: the record stands and counts again.</summary>
    Upheld,

    /// <summary>减轻: the record stands with a smaller deduction.</summary>
    Reduced,

    /// <summary>撤销: the record is cancelled.</summary>
    Voided,
}

/// <summary>
/// An appeal (复核) against a deduction or a credit record, made within the catalog's appeal period after it was
/// confirmed. From the appeal on, the contested credit record stops counting; points stay as they are until decided.
/// The decision is a new journal entry (and credit record) pointing at the original, with a reason.
/// </summary>
public sealed record Appeal
{
    /// <summary>The appeal's id.</summary>
    public required long Id { get; init; }

    /// <summary>Whose record.</summary>
    public required ResidentId Resident { get; init; }

    /// <summary>The contested deduction entry, when the appeal is against one.</summary>
    public EntryId? Entry { get; init; }

    /// <summary>The contested credit record (the deduction's own, or a manual record).</summary>
    public long? CreditRecord { get; init; }

    /// <summary>Who appealed (a resident id at a kiosk, or a staff id on the resident's behalf).</summary>
    public required string By { get; init; }

    /// <summary>When.</summary>
    public required Instant At { get; init; }

    /// <summary>The resident's reason.</summary>
    public required string Reason { get; init; }

    /// <summary>When the decision is due (the catalog's decision period after <see cref="At"/>).</summary>
    public required Instant DueAt { get; init; }

    /// <summary>Where it stands.</summary>
    public required AppealStatus Status { get; init; }

    /// <summary>Who decided.</summary>
    public string? DecidedBy { get; init; }

    /// <summary>When.</summary>
    public Instant? DecidedAt { get; init; }

    /// <summary>The decision's reason.</summary>
    public string? DecisionReason { get; init; }

    /// <summary>For a reduction: the deduction's new size in points (positive, smaller than before).</summary>
    public long? ReducedTo { get; init; }

    /// <summary>The journal entry the decision wrote (a reversal, or the partial refund of a reduction), if any.</summary>
    public EntryId? DecisionEntry { get; init; }

    /// <summary>Whether the decision is overdue as of <paramref name="now"/>.</summary>
    /// <param name="now">The instant to judge at.</param>
    /// <returns>True when still open past its due instant.</returns>
    public bool IsOverdue(Instant now) => Status == AppealStatus.Open && now >= DueAt;
}
