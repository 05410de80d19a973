using Incentives.Catalog;
using Incentives.Rules;
using NodaTime;

namespace Incentives.Ledger;

/// <summary>The kind of a journal entry.</summary>
public enum EntryKind
{
    /// <summary>Positive points for a catalog indicator (加分).</summary>
    Award,

    /// <summary>Points taken for a catalog indicator (扣分).</summary>
    Deduction,

    /// <summary>Undoes an earlier entry (冲正); points at it.</summary>
    Reversal,

    /// <summary>A manual adjustment with a mandatory reason (一事一议).</summary>
    Adjustment,

    /// <summary>Points spent in the mall when goods are picked up (兑换).</summary>
    Redemption,

    /// <summary>Points that reached their expiry date unspent (过期).</summary>
    Expiry,

    /// <summary>A posted award confirmed (公示期满确认): its points move from pending to available; 0 in total.
    /// Points at the award.</summary>
    Confirmation,

    /// <summary>A decision on an appeal (复核决定) against a deduction: upheld (0) or reduced (the points given back).
    /// Points at the deduction. A voided deduction is reversed instead.</summary>
    AppealDecision,
}

/// <summary>
/// One immutable line of a resident's journal (积分流水). Corrections are new entries that point at what they
/// correct. Each entry carries the hash of the resident's previous entry, so tampering breaks the chain.
/// </summary>
public sealed record JournalEntry
{
    /// <summary>The entry's id, its place in the ledger's global order.</summary>
    public required EntryId Id { get; init; }

    /// <summary>Whose journal.</summary>
    public required ResidentId Resident { get; init; }

    /// <summary>1-based position in the resident's own journal.</summary>
    public required long Sequence { get; init; }

    /// <summary>What kind of entry.</summary>
    public required EntryKind Kind { get; init; }

    /// <summary>The indicator, for awards and deductions (and reversals of them).</summary>
    public IndicatorCode? Indicator { get; init; }

    /// <summary>The change to the resident's total (available + reserved + pending): positive in, negative out.
    /// Awards, deductions, reversals and adjustments move the available balance; a redemption spends reserved points.</summary>
    public required long Points { get; init; }

    /// <summary>The part that could not be taken (recorded, not owed): of a deduction larger than the available
    /// balance, or of a reversal whose points were already redeemed or deducted and not covered by other points.</summary>
    public long Uncovered { get; init; }

    /// <summary>For an entry that took points from lots (a deduction, a negative adjustment, a reversal): which lots
    /// gave how many, so reversing it gives them back to the same lots.</summary>
    public IReadOnlyList<LotAllocation>? Lots { get; init; }

    /// <summary>For a reversal: where the points it took back came from (its own lot, other lots, uncovered).</summary>
    public ReversalBreakdown? Breakdown { get; init; }

    /// <summary>The credit delta the entry carries (reversals carry the opposite of the original's).</summary>
    public int CreditDelta { get; init; }

    /// <summary>When the underlying event happened.</summary>
    public required Instant OccurredAt { get; init; }

    /// <summary>When the entry was written.</summary>
    public required Instant RecordedAt { get; init; }

    /// <summary>Who recorded it.</summary>
    public required string RecordedBy { get; init; }

    /// <summary>Evidence note or reference.</summary>
    public string? Evidence { get; init; }

    /// <summary>Why, for reversals and adjustments.</summary>
    public string? Reason { get; init; }

    /// <summary>The entry this one reverses.</summary>
    public EntryId? Reverses { get; init; }

    /// <summary>For a confirmation or an appeal decision: the entry it confirms or decides on.</summary>
    public EntryId? Regarding { get; init; }

    /// <summary>The decision behind an award or deduction, with its explanation and catalog hash.</summary>
    public AwardDecision? Decision { get; init; }

    /// <summary>The idempotency key the command came with.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>The hash of the resident's previous entry (64 zeros for the first).</summary>
    public required string PreviousHash { get; init; }

    /// <summary>SHA-256 over <see cref="PreviousHash"/> and this entry's content.</summary>
    public string Hash { get; init; } = string.Empty;

    /// <summary>The line a statement shows: the decision's explanation for awards and deductions, the breakdown of
    /// a reversal, the reason otherwise.</summary>
    /// <param name="language">Chinese or English.</param>
    /// <returns>The line, or null when there is nothing to explain.</returns>
    public string? Explain(Language language = Language.Zh) => EntryExplanation.Render(this, language);
}
