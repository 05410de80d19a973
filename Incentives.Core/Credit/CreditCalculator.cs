using Incentives.Catalog;
using NodaTime;

namespace Incentives.Credit;

/// <summary>
/// Score and tier of one resident from their records, as of an instant and as known at an instant. Pure: the store
/// only supplies the records. Score = base + Σ deltas of records valid at <c>asOf</c>, counting only records
/// recorded by <c>knownAt</c>; a reversal recorded by then cancels its target, the latest repair recorded by then
/// replaces its target's delta and end; a valid direct grading caps the tier.
/// </summary>
internal static class CreditCalculator
{
    public static (long Score, CreditTier Tier, long? CappedBy) Compute(IReadOnlyList<CreditRecord> records, CreditTierTable table, Instant asOf, Instant knownAt)
    {
        var effective = Effective(records, knownAt);
        long score = table.Base;
        CreditRecord? cap = null;
        foreach (var (record, delta, validTo, suspended) in effective)
        {
            if (record.ValidFrom > asOf || asOf >= validTo || (suspended is { } s && s.ValidFrom <= asOf && asOf < s.ValidTo))
            {
                continue;
            }

            if (record.Kind == CreditRecordKind.DirectGrading)
            {
                if (cap is null || IndexOf(table, record.Tier) > IndexOf(table, cap.Tier))
                {
                    cap = record;
                }
            }
            else
            {
                score = checked(score + delta);
            }
        }

        var tier = table.TierFor(score);
        if (cap is not null && IndexOf(table, cap.Tier) > IndexOf(table, tier.Code))
        {
            return (score, table.Tiers[IndexOf(table, cap.Tier)], cap.Id);
        }

        return (score, tier, null);
    }

    /// <summary>The first instant after <paramref name="after"/> at which the score could change with no new record.</summary>
    public static Instant NextChange(IReadOnlyList<CreditRecord> records, Instant after)
    {
        var next = Instant.MaxValue;
        foreach (var (record, _, validTo, suspended) in Effective(records, Instant.MaxValue))
        {
            if (suspended is { } s)
            {
                if (s.ValidFrom > after && s.ValidFrom < next)
                {
                    next = s.ValidFrom;
                }

                if (s.ValidTo > after && s.ValidTo < next)
                {
                    next = s.ValidTo;
                }
            }

            if (record.ValidFrom > after && record.ValidFrom < next)
            {
                next = record.ValidFrom;
            }

            if (validTo > after && validTo < next)
            {
                next = validTo;
            }
        }

        return next;
    }

    /// <summary>Index in the table, highest tier first; lower is better. Unknown codes rank last.</summary>
    public static int IndexOf(CreditTierTable table, string? code)
    {
        for (var i = 0; i < table.Tiers.Count; i++)
        {
            if (table.Tiers[i].Code == code)
            {
                return i;
            }
        }

        return table.Tiers.Count - 1;
    }

    private static List<(CreditRecord Record, long Delta, Instant ValidTo, CreditRecord? Suspended)> Effective(IReadOnlyList<CreditRecord> records, Instant knownAt)
    {
        var cancelled = new HashSet<long>();
        var repairs = new Dictionary<long, CreditRecord>();
        var suspensions = new Dictionary<long, CreditRecord>();
        foreach (var r in records)
        {
            if (r.RecordedAt > knownAt || r.Target is not { } target)
            {
                continue;
            }

            if (r.Kind == CreditRecordKind.Reversal)
            {
                cancelled.Add(target);
            }
            else if (r.Kind == CreditRecordKind.Repair && (!repairs.TryGetValue(target, out var earlier) || r.Id > earlier.Id))
            {
                repairs[target] = r;
            }
            else if (r.Kind == CreditRecordKind.Suspension && (!suspensions.TryGetValue(target, out var before) || r.Id > before.Id))
            {
                suspensions[target] = r;
            }
        }

        var result = new List<(CreditRecord, long, Instant, CreditRecord?)>();
        foreach (var r in records)
        {
            if (r.RecordedAt > knownAt || r.Kind is CreditRecordKind.Reversal or CreditRecordKind.Repair or CreditRecordKind.Suspension || cancelled.Contains(r.Id))
            {
                continue;
            }

            var suspended = suspensions.GetValueOrDefault(r.Id);
            result.Add(repairs.TryGetValue(r.Id, out var repair) ? (r, repair.Delta, repair.ValidTo, suspended) : (r, r.Delta, r.ValidTo, suspended));
        }

        return result;
    }
}
