using Incentives.Catalog;
using Incentives.Ledger;
using NodaTime;

namespace Incentives.Rules;

/// <summary>
/// Turns a behaviour record into an <see cref="AwardDecision"/>: a pure function of the record, the catalog in force
/// on the record's local date, the resident, the clock and the counters. Preview and posting run the same code.
/// </summary>
internal static class Evaluator
{
    /// <summary>The counter scope of all positive points of a resident (for the global caps).</summary>
    public const string GlobalScope = "*";

    /// <summary>The longest act id a record may name.</summary>
    public const int MaxActIdLength = 100;

    private static readonly PeriodKind[] IndicatorPeriods = [PeriodKind.Day, PeriodKind.Month, PeriodKind.Year, PeriodKind.Lifetime];

    public static AwardDecision Evaluate(
        BehaviourRecord record, CatalogSnapshot? catalog, DateTimeZone zone, bool? residentActive, Instant now, IEvaluationState state, int? birthYear = null)
    {
        var localDate = record.OccurredAt.InZone(zone).Date;
        var indicator = catalog?.FindIndicator(record.Indicator);
        var decision = new AwardDecision
        {
            Resident = record.Resident,
            Indicator = record.Indicator,
            IndicatorNameZh = indicator?.NameZh ?? string.Empty,
            IndicatorNameEn = indicator?.NameEn ?? string.Empty,
            Unit = indicator?.Unit ?? IndicatorUnit.Event,
            Quantity = record.Quantity,
            LocalDate = localDate,
            CatalogVersion = catalog?.Version ?? string.Empty,
            CatalogHash = catalog?.Hash ?? string.Empty,
            ActId = record.ActId,
        };

        var refusals = Check(record, catalog, indicator, zone, residentActive, now, localDate, state);
        if (indicator is { IsDeduction: true } && IsPossiblyUnder14(birthYear, localDate))
        {
            refusals.Add(new Refusal(RefusalCode.MinorResident, "residentId",
                $"no deductions for minors: the resident (born {birthYear}) may be under 14 on {localDate:uuuu-MM-dd}",
                $"未满 14 周岁的未成年人不扣分 (出生于 {birthYear} 年, {localDate:uuuu-MM-dd} 可能未满 14 周岁)"));
        }
        if (refusals.Count > 0 || catalog is null || indicator is null)
        {
            return decision with { Refusals = refusals };
        }

        var steps = new List<ExplanationStep>();
        var raw = indicator.Points * record.Quantity;
        steps.Add(new ExplanationStep(StepKind.Base, raw, raw, Rate: indicator.Points, Quantity: record.Quantity));
        var amount = decimal.Truncate(raw);
        if (amount != raw)
        {
            steps.Add(new ExplanationStep(StepKind.Rounding, amount - raw, amount));
        }

        var isRepeat = false;
        var isWarning = indicator.IsDeduction && indicator.WarningFirst
            && state.RelatedOffence(record.Resident, indicator.Code, localDate, indicator.RepeatWindow(catalog.CreditValidity), includeWarnings: true) is null;
        if (isWarning)
        {
            // The first offence within the window: recorded, explained, 0 points and no credit effect.
            steps.Add(new ExplanationStep(StepKind.Warning, -amount, 0));
            amount = 0;
        }
        else if (indicator.IsDeduction && catalog.RepeatDeductionMultiplier > 1
            && state.RelatedOffence(record.Resident, indicator.Code, localDate, indicator.RepeatWindow(catalog.CreditValidity)) is { } related)
        {
            isRepeat = true;
            var multiplied = amount * catalog.RepeatDeductionMultiplier;
            steps.Add(new ExplanationStep(StepKind.RepeatDeduction, multiplied - amount, multiplied, Multiplier: catalog.RepeatDeductionMultiplier, RelatedDate: related));
            amount = multiplied;
        }

        var credit = isWarning ? 0 : indicator.CreditDelta is { } delta ? checked(delta * (isRepeat ? catalog.RepeatDeductionMultiplier : 1)) : 0;
        var act = record.ActId is { } actId ? state.Act(record.Resident, actId) : null;
        if (act is not null)
        {
            // One act, several indicators: it counts once, at the highest value. Only what exceeds the act's value so
            // far is paid (before caps, which then limit what is newly counted).
            var increment = Math.Max(0, amount - act.Points);
            steps.Add(new ExplanationStep(StepKind.Act, increment - amount, increment, UsedBefore: act.Points,
                RelatedEntry: act.Entry.Value, RelatedIndicator: act.Indicator.Value));
            amount = increment;
            credit = Math.Max(0, credit - act.Credit);
        }

        var requested = (long)amount;
        var caps = indicator.Caps;
        foreach (var kind in IndicatorPeriods)
        {
            var limit = kind switch
            {
                PeriodKind.Day => caps.Day,
                PeriodKind.Month => caps.Month,
                PeriodKind.Year => caps.Year,
                _ => caps.Lifetime,
            };
            if (limit is { } l)
            {
                amount = ApplyCap(steps, StepKind.IndicatorCap, PeriodKey.Of(kind, localDate), l, amount,
                    state.UsedBefore(record.Resident, indicator.Code.Value, PeriodKey.Of(kind, localDate)));
            }
        }

        if (amount > 0)
        {
            if (catalog.GlobalCaps.Month is { } month)
            {
                var key = PeriodKey.Of(PeriodKind.Month, localDate);
                amount = ApplyCap(steps, StepKind.GlobalCap, key, month, amount, state.UsedBefore(record.Resident, GlobalScope, key));
            }

            if (catalog.GlobalCaps.Year is { } year)
            {
                var key = PeriodKey.Of(PeriodKind.Year, localDate);
                amount = ApplyCap(steps, StepKind.GlobalCap, key, year, amount, state.UsedBefore(record.Resident, GlobalScope, key));
            }
        }

        var awarded = (long)amount;
        var result = decision with
        {
            Requested = requested,
            Awarded = awarded,
            Applied = awarded,
            CreditDelta = credit,
            IsRepeat = isRepeat,
            IsWarning = isWarning,
            Steps = steps,
        };

        // Service hours count toward stars even when no points are left; a lower record of an act is kept, at 0, so
        // its explanation says which record stands.
        return awarded == 0 && !indicator.CountsServiceHours && act is null && !isWarning
            ? result with { Refusals = [new Refusal(RefusalCode.CapReached, "indicator", "a cap leaves no room: nothing would be awarded", "已达上限, 本次不计分")] }
            : result;
    }

    // Only the year of birth is kept, so a resident born in year Y is treated as possibly under 14 until the end of
    // year Y + 14: the doubt goes to the child.
    private static bool IsPossiblyUnder14(int? birthYear, LocalDate date) => birthYear is { } y && date.Year - y <= 14;

    // Caps share the sign of the points: a deduction cap (negative) limits how much is taken.
    private static decimal ApplyCap(List<ExplanationStep> steps, StepKind kind, PeriodKey period, long limit, decimal amount, long used)
    {
        var room = limit > 0 ? Math.Max(0, limit - used) : Math.Min(0, limit - used);
        var capped = Math.Abs(amount) > Math.Abs(room) ? room : amount;
        steps.Add(new ExplanationStep(kind, capped - amount, capped, Period: period, Limit: limit, UsedBefore: used));
        return capped;
    }

    private static List<Refusal> Check(BehaviourRecord record, CatalogSnapshot? catalog, Indicator? indicator, DateTimeZone zone,
        bool? residentActive, Instant now, LocalDate localDate, IEvaluationState state)
    {
        var refusals = new List<Refusal>();
        if (residentActive is null)
        {
            refusals.Add(new Refusal(RefusalCode.UnknownResident, "residentId", $"no resident '{record.Resident}'", $"居民 '{record.Resident}' 不存在"));
        }
        else if (residentActive == false)
        {
            refusals.Add(new Refusal(RefusalCode.InactiveResident, "residentId", $"resident '{record.Resident}' is not active", "该居民账户已停用"));
        }

        if (catalog is null)
        {
            refusals.Add(new Refusal(RefusalCode.NoCatalogInForce, "occurredAt", $"no catalog version was in force on {localDate:uuuu-MM-dd}", $"{localDate:uuuu-MM-dd} 无生效的积分目录"));
        }
        else if (indicator is null)
        {
            refusals.Add(new Refusal(RefusalCode.UnknownIndicator, "indicator", $"unknown indicator '{record.Indicator}'", $"指标 '{record.Indicator}' 不存在"));
        }
        else if (!indicator.Active)
        {
            refusals.Add(new Refusal(RefusalCode.InactiveIndicator, "indicator", $"indicator '{record.Indicator}' is not active", $"指标 '{record.Indicator}' 已停用"));
        }

        if (indicator is not null)
        {
            var whole = indicator.Unit != IndicatorUnit.Hour;
            // Hours to the hundredth (36 seconds): finer fractions are typing mistakes, and the daily bound counts them exactly.
            var precise = whole ? record.Quantity == decimal.Truncate(record.Quantity) : record.Quantity * 100 == decimal.Truncate(record.Quantity * 100);
            if (record.Quantity <= 0 || record.Quantity > indicator.MaxQuantity || !precise)
            {
                var kind = whole ? "a whole number" : "a number with at most 2 decimals";
                refusals.Add(new Refusal(RefusalCode.QuantityOutOfRange, "quantity",
                    $"quantity must be {kind} greater than 0 and at most {indicator.MaxQuantity}, found {record.Quantity}",
                    $"数量须大于 0 且不超过 {indicator.MaxQuantity}{(whole ? " 的整数" : " (最多两位小数)")}, 实为 {record.Quantity}"));
            }
            else if (indicator.CountsServiceHours && catalog is not null)
            {
                var today = state.ServiceHoursOn(record.Resident, localDate);
                var limit = catalog.MaxServiceHoursPerDay;
                if (today + record.Quantity > limit)
                {
                    refusals.Add(new Refusal(RefusalCode.DailyHoursExceeded, "quantity",
                        $"{today} h of volunteer service are already recorded on {localDate:uuuu-MM-dd}; with {record.Quantity} h more the day would exceed its bound of {limit} h",
                        $"{localDate:uuuu-MM-dd} 已登记志愿服务 {today} 小时, 再记 {record.Quantity} 小时将超过每日上限 {limit} 小时")
                    {
                        HoursToday = today,
                        HoursLimit = limit,
                    });
                }
            }

            if (record.ActId is not null && indicator.IsDeduction)
            {
                refusals.Add(new Refusal(RefusalCode.InvalidArgument, "actId", "only awards name an act: each deduction stands on its own", "仅加分记录可关联同一行为, 扣分逐项记录"));
            }
        }

        if (record.ActId is { } actId && (string.IsNullOrWhiteSpace(actId) || actId.Length > MaxActIdLength))
        {
            refusals.Add(new Refusal(RefusalCode.InvalidArgument, "actId", $"an act id is 1–{MaxActIdLength} characters", $"行为编号须为 1–{MaxActIdLength} 个字符"));
        }

        if (record.OccurredAt > now)
        {
            refusals.Add(new Refusal(RefusalCode.InTheFuture, "occurredAt", "the event is in the future", "事件时间晚于当前时间"));
        }
        else if (catalog is not null && localDate < now.InZone(zone).Date.PlusMonths(-catalog.RecordingWindowMonths))
        {
            refusals.Add(new Refusal(RefusalCode.OutsideRecordingWindow, "occurredAt",
                $"records must be entered within {catalog.RecordingWindowMonths} month(s) of the event",
                $"须在事件发生后 {catalog.RecordingWindowMonths} 个月内登记"));
        }

        return refusals;
    }
}
