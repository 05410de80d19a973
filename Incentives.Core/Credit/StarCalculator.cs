using Incentives.Catalog;
using NodaTime;

namespace Incentives.Credit;

/// <summary>Hours and stars from service records as of an instant: records known by then and served by then count,
/// a cancellation known by then removes its target. A star's date is when the running total last rose to it.</summary>
internal static class StarCalculator
{
    public static VolunteerStanding Compute(IReadOnlyList<VolunteerHours> records, IReadOnlyList<VolunteerStar> stars, Instant asOf)
    {
        var cancelled = new HashSet<long>();
        foreach (var r in records)
        {
            if (r.RecordedAt <= asOf && r.Cancels is { } target)
            {
                cancelled.Add(target);
            }
        }

        var counted = records
            .Where(r => r.Cancels is null && r.RecordedAt <= asOf && r.OccurredAt <= asOf && !cancelled.Contains(r.Entry))
            .OrderBy(r => r.OccurredAt).ThenBy(r => r.Entry)
            .ToList();
        var reachedOn = new LocalDate?[stars.Count];
        decimal total = 0;
        foreach (var r in counted)
        {
            total += r.Hours;
            for (var i = 0; i < stars.Count; i++)
            {
                if (total >= stars[i].Hours && reachedOn[i] is null)
                {
                    reachedOn[i] = r.LocalDate;
                }
            }
        }

        var reached = new List<StarReached>();
        for (var i = 0; i < stars.Count && reachedOn[i] is { } date; i++)
        {
            reached.Add(new StarReached(stars[i].Level, stars[i].Hours, date));
        }

        return new VolunteerStanding(total, reached.Count, reached, asOf);
    }
}
