using Incentives.Catalog;
using Incentives.Ledger;
using NodaTime;

namespace Incentives.Rules;

/// <summary>What staff record: a resident did (or failed to do) something the catalog scores (行为记录).</summary>
/// <param name="Resident">Who.</param>
/// <param name="Indicator">Which catalog indicator.</param>
/// <param name="Quantity">How many units (hours may be fractional, e.g. 2.5).</param>
/// <param name="OccurredAt">When it happened; decides the local date, the catalog version and the cap periods.</param>
/// <param name="RecordedBy">The staff member or system recording it.</param>
/// <param name="Evidence">An evidence note or reference (photo id, document number), if any.</param>
/// <param name="ActId">The act this record documents, if named: records of one act count once, at the highest value.</param>
public sealed record BehaviourRecord(
    ResidentId Resident,
    IndicatorCode Indicator,
    decimal Quantity,
    Instant OccurredAt,
    string RecordedBy,
    string? Evidence,
    string? ActId = null);
