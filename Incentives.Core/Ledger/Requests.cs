using Incentives.Catalog;
using NodaTime;

namespace Incentives.Ledger;

/// <summary>Record behaviour for a resident: an award or, for a deducting indicator, a deduction.</summary>
/// <param name="Resident">Who.</param>
/// <param name="Indicator">Which indicator.</param>
/// <param name="Quantity">How many units.</param>
/// <param name="RecordedBy">Who records it.</param>
/// <param name="IdempotencyKey">The caller's key: a retry with the same key and payload returns the original result.</param>
/// <param name="OccurredAt">When it happened; null means now.</param>
/// <param name="Evidence">Evidence note or reference.</param>
/// <param name="ActId">The act the record documents (free text, scoped to the resident, 1–100 characters). Records of
/// one act count once, at the highest value (一事多项, 就高计分): a later, higher record pays the difference, a lower one 0.</param>
public sealed record AwardRequest(
    ResidentId Resident,
    IndicatorCode Indicator,
    decimal Quantity,
    string RecordedBy,
    string IdempotencyKey,
    Instant? OccurredAt = null,
    string? Evidence = null,
    string? ActId = null);

/// <summary>Reverse an entry (冲正) with a new entry; each entry can be reversed once.</summary>
/// <param name="Entry">The entry to reverse.</param>
/// <param name="Reason">Why; required.</param>
/// <param name="RecordedBy">Who.</param>
/// <param name="IdempotencyKey">The caller's key.</param>
public sealed record ReversalRequest(EntryId Entry, string Reason, string RecordedBy, string IdempotencyKey);

/// <summary>A manual adjustment (一事一议) outside the catalog; a reason is mandatory.</summary>
/// <param name="Resident">Who.</param>
/// <param name="Points">Signed points.</param>
/// <param name="Reason">Why; required.</param>
/// <param name="RecordedBy">Who.</param>
/// <param name="IdempotencyKey">The caller's key.</param>
public sealed record AdjustmentRequest(ResidentId Resident, long Points, string Reason, string RecordedBy, string IdempotencyKey);
