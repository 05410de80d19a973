using System.Globalization;
using System.Text;
using Incentives.Catalog;

namespace Incentives.Ledger;

/// <summary>Renders the statement line of an entry; awards and deductions carry their decision's explanation.</summary>
internal static class EntryExplanation
{
    public static string? Render(JournalEntry entry, Language language)
    {
        if (entry.Decision is { } decision)
        {
            // An award posted in public (公示) says so after its explanation: its points were pending until confirmed.
            return entry.Kind == EntryKind.Award && entry.Reason is { } posted
                ? decision.Explain(language) + "; " + Bilingual(posted, language)
                : decision.Explain(language);
        }

        if (entry.Kind is EntryKind.Redemption or EntryKind.Expiry && entry.Reason is { } system)
        {
            // The engine writes these reasons itself, as "中文 / English" (older entries: English only, shown as is).
            return Bilingual(system, language);
        }

        if (entry.Kind != EntryKind.Reversal || entry.Breakdown is not { } b)
        {
            return entry.Reason;
        }

        var zh = language == Language.Zh;
        var sb = new StringBuilder();
        sb.Append(zh ? $"冲正 #{entry.Reverses}" : $"reverses #{entry.Reverses}");
        if (!string.IsNullOrWhiteSpace(entry.Reason))
        {
            sb.Append(zh ? $" ({entry.Reason})" : $" ({entry.Reason})");
        }

        sb.Append(": ");
        if (entry.Points >= 0)
        {
            sb.Append(zh ? $"退回原扣分批次 {N(entry.Points)}" : $"{N(entry.Points)} returned to the lots it was taken from");
            if (b.ReturnedExpired > 0)
            {
                sb.Append(zh ? $", 其中 {b.ReturnedExpired} 分所在批次已过期, 随即过期" : $"; {b.ReturnedExpired} of them landed in expired lots and expire at once");
            }

            return sb.ToString();
        }

        sb.Append(zh ? $"自原批次扣回 {b.FromOwnLot}" : $"{b.FromOwnLot} taken back from its own lot");
        if (b.FromOtherLots > 0)
        {
            sb.Append(zh ? $", 原批次已兑换或已扣, 自其他批次扣回 {b.FromOtherLots}" : $", {b.FromOtherLots} from other lots (its own were already redeemed or deducted)");
        }

        if (b.AlreadyExpired > 0)
        {
            sb.Append(zh ? $", 已过期 {b.AlreadyExpired} 分不再扣回" : $", {b.AlreadyExpired} had already expired and are not taken again");
        }

        if (b.Uncovered > 0)
        {
            sb.Append(zh ? $", 余额不足未扣 {b.Uncovered} 分 (记录在案, 不欠分)" : $", {b.Uncovered} uncovered (recorded, not owed)");
        }

        return sb.ToString();
    }

    // "中文 / English" → the requested half.
    private static string Bilingual(string text, Language language)
    {
        var bar = text.IndexOf(" / ", StringComparison.Ordinal);
        return bar < 0 ? text : language == Language.Zh ? text[..bar] : text[(bar + 3)..];
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
