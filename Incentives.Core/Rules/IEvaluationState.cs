using Incentives.Catalog;
using Incentives.Ledger;
using NodaTime;

namespace Incentives.Rules;

/// <summary>What evaluation reads from the ledger: cap counters, earlier offences, service hours and acts.</summary>
internal interface IEvaluationState
{
    /// <summary>Points already counted in <paramref name="period"/> for <paramref name="scope"/>
    /// (an indicator code, or <see cref="Evaluator.GlobalScope"/> for all positive points).</summary>
    long UsedBefore(ResidentId resident, string scope, PeriodKey period);

    /// <summary>An unreversed offence of <paramref name="indicator"/> that makes one dated <paramref name="date"/> a
    /// repeat: an earlier one whose window still covers <paramref name="date"/>, or a later one within
    /// <paramref name="window"/> of it (the new record is then the earlier offence, recorded late). Null when none.
    /// Warnings count only when <paramref name="includeWarnings"/> is true.</summary>
    LocalDate? RelatedOffence(ResidentId resident, IndicatorCode indicator, LocalDate date, Period window, bool includeWarnings = false);

    /// <summary>Volunteer service hours already credited to the resident on <paramref name="date"/>.</summary>
    decimal ServiceHoursOn(ResidentId resident, LocalDate date);

    /// <summary>The act's standing record (the highest-valued, unreversed), or null when the act has none.</summary>
    ActStanding? Act(ResidentId resident, string actId);
}

/// <summary>What an act (一事) has paid so far, and which record stands for it.</summary>
/// <param name="Points">The act's value: the highest points of its records.</param>
/// <param name="Credit">The highest credit delta of its records.</param>
/// <param name="Entry">The record that stands (holds the highest value).</param>
/// <param name="Indicator">That record's indicator.</param>
internal sealed record ActStanding(long Points, int Credit, EntryId Entry, IndicatorCode Indicator);
