using Incentives.Catalog;
using Incentives.Ledger;
using NodaTime;

namespace Incentives.Credit;

/// <summary>The kind of a credit record.</summary>
public enum CreditRecordKind
{
    /// <summary>From an award or deduction whose indicator carries a credit delta.</summary>
    Indicator,

    /// <summary>A manual record (一事一议) with a reason and a document reference.</summary>
    Manual,

    /// <summary>Cancels its target (the points entry behind it was reversed).</summary>
    Reversal,

    /// <summary>信用修复: replaces its target's delta and/or shortens its validity.</summary>
    Repair,

    /// <summary>直接评级: caps the grade at a tier for its validity, whatever the score.</summary>
    DirectGrading,

    /// <summary>复核中暂停计分: its target does not count from <see cref="CreditRecord.ValidFrom"/> until
    /// <see cref="CreditRecord.ValidTo"/> (an appeal, until decided). The latest suspension of a target decides.</summary>
    Suspension,
}

/// <summary>
/// One immutable credit record (信用记录). Bitemporal: <see cref="RecordedAt"/> says when the engine learnt it,
/// <see cref="ValidFrom"/>–<see cref="ValidTo"/> when it counts. Corrections are new records pointing at their
/// target, so an answer given "as of T" never changes when later records arrive.
/// </summary>
public sealed record CreditRecord
{
    /// <summary>The record's id, from 1.</summary>
    public required long Id { get; init; }

    /// <summary>Whose credit.</summary>
    public required ResidentId Resident { get; init; }

    /// <summary>What kind of record.</summary>
    public required CreditRecordKind Kind { get; init; }

    /// <summary>The score change (0 for reversals and gradings; for a repair, the new delta of the target).</summary>
    public int Delta { get; init; }

    /// <summary>The indicator, for indicator records.</summary>
    public IndicatorCode? Indicator { get; init; }

    /// <summary>The points entry behind an indicator or reversal record.</summary>
    public EntryId? Entry { get; init; }

    /// <summary>The record a reversal or repair acts on.</summary>
    public long? Target { get; init; }

    /// <summary>For a direct grading: the highest tier the resident can have while it is valid.</summary>
    public string? Tier { get; init; }

    /// <summary>Why (mandatory for manual records, repairs and gradings).</summary>
    public string? Reason { get; init; }

    /// <summary>The document behind it (evidence note, decision number).</summary>
    public string? Document { get; init; }

    /// <summary>Who recorded it.</summary>
    public required string RecordedBy { get; init; }

    /// <summary>When the engine learnt of it.</summary>
    public required Instant RecordedAt { get; init; }

    /// <summary>From when it counts, inclusive.</summary>
    public required Instant ValidFrom { get; init; }

    /// <summary>Until when it counts, exclusive (for a repair: the target's new end).</summary>
    public required Instant ValidTo { get; init; }
}
