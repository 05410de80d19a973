using NodaTime;

namespace Incentives.Catalog;

/// <summary>How long awarded points stay spendable (积分有效期).</summary>
public enum PointsExpiryRule
{
    /// <summary>Points earned in year N expire at the end of 31 December of year N+1 (the default).</summary>
    EndOfNextYear,

    /// <summary>Points never expire.</summary>
    Never,

    /// <summary>Points expire a number of months after the local date they were earned.</summary>
    MonthsAfterAward,
}

/// <summary>The points expiry policy of a catalog version.</summary>
/// <param name="Rule">Which rule.</param>
/// <param name="Months">For <see cref="PointsExpiryRule.MonthsAfterAward"/>: how many months.</param>
public sealed record PointsExpiry(PointsExpiryRule Rule, int Months)
{
    /// <summary>The default: end of the next calendar year.</summary>
    public static PointsExpiry Default { get; } = new(PointsExpiryRule.EndOfNextYear, 0);

    /// <summary>When points earned at <paramref name="earnedAt"/> stop being spendable, or null if never.</summary>
    /// <param name="earnedAt">When the points were earned.</param>
    /// <param name="zone">The community's zone, which decides the year and the day.</param>
    /// <returns>The first instant at which they are expired.</returns>
    public Instant? ExpiresAt(Instant earnedAt, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var date = earnedAt.InZone(zone).Date;
        return Rule switch
        {
            PointsExpiryRule.Never => null,
            PointsExpiryRule.MonthsAfterAward => date.PlusMonths(Months).PlusDays(1).AtStartOfDayInZone(zone).ToInstant(),
            _ => new LocalDate(date.Year + 2, 1, 1).AtStartOfDayInZone(zone).ToInstant(),
        };
    }
}
