using System.Globalization;
using NodaTime;

namespace Incentives.Rules;

/// <summary>The kind of calendar period a cap counts over.</summary>
public enum PeriodKind
{
    /// <summary>A local calendar day.</summary>
    Day,

    /// <summary>A local calendar month.</summary>
    Month,

    /// <summary>A local calendar year.</summary>
    Year,

    /// <summary>The whole history.</summary>
    Lifetime,
}

/// <summary>
/// Names one period of the community's calendar, e.g. <c>2026-11-23</c>, <c>2026-11</c>, <c>2026</c> or
/// <c>lifetime</c>; the key under which cap counters are kept.
/// </summary>
/// <param name="Kind">The period kind.</param>
/// <param name="Value">The period's text.</param>
public readonly record struct PeriodKey(PeriodKind Kind, string Value)
{
    /// <summary>The period of <paramref name="kind"/> that holds <paramref name="date"/>.</summary>
    /// <param name="kind">The period kind.</param>
    /// <param name="date">A local date in the community's zone.</param>
    /// <returns>The key.</returns>
    public static PeriodKey Of(PeriodKind kind, LocalDate date) => kind switch
    {
        PeriodKind.Day => new(kind, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        PeriodKind.Month => new(kind, date.ToString("yyyy-MM", CultureInfo.InvariantCulture)),
        PeriodKind.Year => new(kind, date.Year.ToString("D4", CultureInfo.InvariantCulture)),
        _ => new(kind, "lifetime"),
    };

    /// <inheritdoc />
    public override string ToString() => Value;
}
