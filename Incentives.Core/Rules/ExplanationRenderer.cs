using System.Globalization;
using System.Text;
using Incentives.Catalog;

namespace Incentives.Rules;

/// <summary>Renders a decision as one line a resident at a kiosk can follow (PIPL Art. 24: explainable decisions).</summary>
internal static class ExplanationRenderer
{
    public static string Render(AwardDecision d, Language lang)
    {
        var zh = lang == Language.Zh;
        var sb = new StringBuilder();
        sb.Append(d.Indicator.Value);
        var name = zh ? d.IndicatorNameZh : d.IndicatorNameEn;
        if (name.Length > 0)
        {
            sb.Append(' ').Append(name);
        }

        sb.Append(": ");
        foreach (var step in d.Steps)
        {
            switch (step.Kind)
            {
                case StepKind.Base:
                    sb.Append(N(step.Rate ?? 0)).Append(" × ").Append(N(step.Quantity ?? 0)).Append(' ').Append(UnitLabel(d.Unit, zh))
                        .Append(" = ").Append(N(step.Result));
                    break;
                case StepKind.Rounding:
                    sb.Append(zh ? " → 取整 " : " → rounded ").Append(N(step.Result));
                    break;
                case StepKind.RepeatDeduction:
                    sb.Append(zh ? " → 有效期内重复" : " → repeated within validity");
                    if (step.RelatedDate is { } other)
                    {
                        sb.Append(zh ? $" (同类违规 {D(other)})" : $" (same offence on {D(other)})");
                    }

                    sb.Append(" ×").Append(step.Multiplier).Append(" = ").Append(N(step.Result));
                    break;
                case StepKind.Act:
                    var standing = $"#{step.RelatedEntry} {step.RelatedIndicator}";
                    sb.Append(zh ? $" → 同一行为已按 {standing} 计 {step.UsedBefore} 分, 就高计分" : $" → the same act already counts {step.UsedBefore} through {standing}, highest value counts");
                    sb.Append(step.Result > 0
                        ? (zh ? $", 本条为准, 补 {N(step.Result)}" : $"; this record now stands, adding {N(step.Result)}")
                        : (zh ? $", 仍以 {standing} 为准 → 0" : $"; {standing} still stands → 0"));
                    break;
                case StepKind.Warning:
                    sb.Append(zh ? " → 首次违规, 予以警告, 不扣分 (再犯将扣分) → 0" : " → first offence: a warning, no points taken (a repeat will deduct) → 0");
                    break;
                case StepKind.BalanceFloor:
                    sb.Append(zh ? $" → 可用余额仅 {step.UsedBefore}, 实扣 {N(step.Result)}, 未扣 {N(step.Delta)} (记录在案, 不欠分)"
                        : $" → only {step.UsedBefore} available: {N(step.Result)} applied, {N(step.Delta)} uncovered (recorded, not owed)");
                    break;
                case StepKind.IndicatorCap:
                case StepKind.GlobalCap:
                    sb.Append(" → ").Append(CapLabel(step, zh)).Append(' ').Append(step.Limit)
                        .Append(zh ? $" (已得 {step.UsedBefore})" : $" ({step.UsedBefore} used)")
                        .Append(" → ").Append(N(step.Result));
                    break;
                default:
                    break;
            }
        }

        foreach (var r in d.Refusals)
        {
            sb.Append(d.Steps.Count == 0 && sb[^1] == ' ' ? "✗ " : " ✗ ").Append(zh ? r.MessageZh : r.Message);
        }

        return sb.ToString();
    }

    private static string CapLabel(ExplanationStep step, bool zh)
    {
        var global = step.Kind == StepKind.GlobalCap;
        return (step.Period?.Kind, zh) switch
        {
            (PeriodKind.Day, true) => "日上限",
            (PeriodKind.Month, true) => global ? "月总上限" : "月上限",
            (PeriodKind.Year, true) => global ? "年总上限" : "年上限",
            (PeriodKind.Lifetime, true) => "累计上限",
            (PeriodKind.Day, false) => "day cap",
            (PeriodKind.Month, false) => global ? "monthly total cap" : "month cap",
            (PeriodKind.Year, false) => global ? "yearly total cap" : "year cap",
            _ => "lifetime cap",
        };
    }

    private static string UnitLabel(IndicatorUnit unit, bool zh) => (unit, zh) switch
    {
        (IndicatorUnit.Hour, _) => "h",
        (IndicatorUnit.Month, true) => "月",
        (IndicatorUnit.Star, true) => "星",
        (IndicatorUnit.Check, true) => "次抽查",
        (IndicatorUnit.Meeting, true) => "场",
        (IndicatorUnit.Project, true) => "项",
        (_, true) => "次",
        (_, false) => unit.ToString().ToLowerInvariant(),
    };

    private static string D(NodaTime.LocalDate date) => date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);

    private static string N(decimal value) =>
        value.ToString("0.##########", CultureInfo.InvariantCulture).Replace("-", "−", StringComparison.Ordinal);
}
