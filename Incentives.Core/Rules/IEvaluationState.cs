using Incentives.Catalog;
using Incentives.Ledger;
using NodaTime;

namespace Incentives.Rules;

/// <summary>What evaluation reads from the ledger: cap counters and earlier offences.</summary>
internal interface IEvaluationState
{
    /// <summary>Points already counted in <paramref name="period"/> for <paramref name="scope"/>
    /// (an indicator code, or <see cref="Evaluator.GlobalScope"/> for all positive points).</summary>
    long UsedBefore(ResidentId resident, string scope, PeriodKey period);

    /// <summary>Whether the resident has an unreversed deduction of <paramref name="indicator"/> dated after
    /// <paramref name="after"/> and on or before <paramref name="onOrBefore"/>.</summary>
    bool HasOffence(ResidentId resident, IndicatorCode indicator, LocalDate after, LocalDate onOrBefore);
}
