using Incentives.Ledger;

namespace Incentives.Storage;

/// <summary>A resident's entries in a time range, optionally of one kind, newest first, one page.</summary>
internal sealed class StatementSpecification : Specification<EntryDoc>
{
    public StatementSpecification(StatementQuery q, bool paged = true)
    {
        var resident = q.Resident.Value;
        Where(e => e.Resident == resident);
        if (q.From is { } from)
        {
            var ticks = from.ToUnixTimeTicks();
            Where(e => e.OccurredAt >= ticks);
        }

        if (q.To is { } to)
        {
            var ticks = to.ToUnixTimeTicks();
            Where(e => e.OccurredAt < ticks);
        }

        if (q.Kind is { } kind)
        {
            var k = (int)kind;
            Where(e => e.Kind == k);
        }

        Order(e => e.Id, descending: true);
        if (paged)
        {
            Paging((q.Page - 1) * q.PageSize, q.PageSize);
        }
    }
}
