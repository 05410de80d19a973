using Incentives.Catalog;
using Incentives.Credit;
using Incentives.Mall;
using Incentives.Ledger;
using Incentives.Rules;
using Incentives.Storage;
using NodaTime;

namespace Incentives.Mall;

/// <summary>Everything a reservation must pass before anything is written, with the refusal a resident can act on.</summary>
internal sealed partial class MallHandler
{
    private (List<(ReservationLine Line, ItemDoc Doc, PurchaseLimit? Limit)> Priced, Refusal? Refusal) Price(ReservationRequest r, Instant now)
    {
        var priced = new List<(ReservationLine, ItemDoc, PurchaseLimit?)>();
        if (store.Stores.FindById(r.Store.Value) is not { } storeDoc)
        {
            return (priced, NotFound("storeId", $"no store '{r.Store}'", $"超市 '{r.Store}' 不存在"));
        }

        if (store.Residents.FindById(r.Resident.Value) is not { } resident)
        {
            return (priced, LedgerMapping.UnknownResident(r.Resident));
        }

        if (resident.Status != (int)ResidentStatus.Active)
        {
            return (priced, new Refusal(RefusalCode.InactiveResident, "residentId", $"resident '{r.Resident}' is not active", "该居民账户已停用"));
        }

        if (resident.Community != storeDoc.Community)
        {
            return (priced, Invalid("residentId", "the resident does not belong to this store's community", "该居民不属于本超市所在社区"));
        }

        if (r.Lines.Count is 0 or > MaxLines || r.Lines.Select(l => l.Sku).Distinct().Count() != r.Lines.Count)
        {
            return (priced, Invalid("lines", $"1–{MaxLines} lines, each sku once", $"每次预约 1–{MaxLines} 种商品, 每种只列一次"));
        }

        var zone = ZoneOfResident(r.Resident);
        var date = now.InZone(zone).Date;
        var tiers = _credit.CatalogAt(r.Resident, now).CreditTiers;
        var credit = _credit.Standing(r.Resident, now, now, now);
        foreach (var line in r.Lines)
        {
            if (line.Quantity is < 1 or > MaxUnits)
            {
                return (priced, Invalid("quantity", $"each line takes 1–{MaxUnits} units", $"每种商品数量须为 1–{MaxUnits} 件"));
            }

            if (store.Items.FindById(MallMapping.ItemKey(r.Store, line.Sku)) is not { } doc)
            {
                return (priced, NotFound("sku", $"no item '{line.Sku}' in this store", $"商品 '{line.Sku}' 不存在"));
            }

            var item = MallMapping.ToItem(doc).Definition;
            if ((item.ActiveFrom is { } from && now < from) || (item.ActiveTo is { } to && now >= to))
            {
                return (priced, new Refusal(RefusalCode.ItemInactive, "sku", $"'{item.NameEn}' is not offered now", $"'{item.NameZh}' 当前不可兑换"));
            }

            if (item.MinTier is { } minTier && (!credit.Rated || CreditCalculator.IndexOf(tiers, credit.Tier) > CreditCalculator.IndexOf(tiers, minTier)))
            {
                var yours = credit.Rated ? credit.Tier : "unrated";
                return (priced, new Refusal(RefusalCode.TierTooLow, "sku", $"'{item.NameEn}' needs credit tier {minTier} or better (yours: {yours})",
                    $"'{item.NameZh}' 需信用等级 {minTier} 及以上 (您: {(credit.Rated ? credit.Tier : "未评级")})") { TierNeeded = minTier });
            }

            if (doc.Stock < line.Quantity)
            {
                return (priced, new Refusal(RefusalCode.OutOfStock, "quantity", $"only {doc.Stock} of '{item.NameEn}' left", $"'{item.NameZh}' 仅剩 {doc.Stock}") { Left = doc.Stock });
            }

            if (item.Limit is { } limit && accounts.UsedBefore(r.Resident, "buy:" + doc.Id, PeriodKey.Of(limit.Period, date)) + line.Quantity > limit.Quantity)
            {
                var resets = NextPeriodStart(limit.Period, date).AtStartOfDayInZone(zone).ToInstant();
                return (priced, new Refusal(RefusalCode.LimitReached, "quantity",
                    $"at most {limit.Quantity} of '{item.NameEn}' per {limit.Period.ToString().ToLowerInvariant()}",
                    $"'{item.NameZh}' 每{PeriodZh(limit.Period)}限兑 {limit.Quantity} 件") { ResetsAt = resets });
            }

            priced.Add((new ReservationLine(line.Sku, line.Quantity, MallMapping.UnitPrice(item, tiers, credit), item.Kind), doc, item.Limit));
        }

        return (priced, null);
    }

    private static LocalDate NextPeriodStart(PeriodKind period, LocalDate date) => period switch
    {
        PeriodKind.Day => date.PlusDays(1),
        PeriodKind.Month => new LocalDate(date.Year, date.Month, 1).PlusMonths(1),
        _ => new LocalDate(date.Year + 1, 1, 1),
    };

    private static string PeriodZh(PeriodKind period) => period switch
    {
        PeriodKind.Day => "日",
        PeriodKind.Month => "月",
        _ => "年",
    };
}
