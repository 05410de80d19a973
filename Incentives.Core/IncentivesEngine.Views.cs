using System.Globalization;
using Incentives.Credit;
using Incentives.Ledger;
using Incentives.Mall;
using Incentives.Rules;
using Incentives.Storage;
using NodaTime;

namespace Incentives;

/// <summary>Read models for the kiosk and the staff desk, computed here so no rule is repeated in a page.</summary>
public sealed partial class IncentivesEngine
{
    /// <summary>A store's items as a resident sees them now: only items inside their active window, tier prices
    /// applied, tier-gated items marked, and what is left of each per-resident limit in the current period of the
    /// resident's community.</summary>
    /// <param name="store">The store.</param>
    /// <param name="resident">The resident.</param>
    /// <returns>The offers, by sku.</returns>
    public IReadOnlyList<ItemOffer> GetOffers(StoreId store, ResidentId resident)
    {
        var now = _clock.GetCurrentInstant();
        return _store.Read(() =>
        {
            var credit = _credit.Standing(resident, now, now, now);
            var tiers = _credit.CatalogAt(resident, now).CreditTiers;
            var today = now.InZone(_credit.ZoneOf(resident)).Date;
            var accounts = new AccountState(_store);
            var offers = new List<ItemOffer>();
            foreach (var doc in _store.ItemsOf(store.Value))
            {
                var item = MallMapping.ToItem(doc);
                var d = item.Definition;
                if ((d.ActiveFrom is { } from && now < from) || (d.ActiveTo is { } to && now >= to))
                {
                    continue;
                }

                var tierAllows = d.MinTier is not { } min || (credit.Rated && CreditCalculator.IndexOf(tiers, credit.Tier) <= CreditCalculator.IndexOf(tiers, min));
                long? left = d.Limit is { } limit
                    ? Math.Max(0, limit.Quantity - accounts.UsedBefore(resident, "buy:" + doc.Id, PeriodKey.Of(limit.Period, today)))
                    : null;
                offers.Add(new ItemOffer(item, MallMapping.UnitPrice(d, tiers, credit), tierAllows, left));
            }

            offers.Sort((a, b) => string.CompareOrdinal(a.Item.Definition.Sku, b.Item.Definition.Sku));
            return offers;
        });
    }

    private const int MaxFound = 50;

    /// <summary>Residents of a community whose id (any case) or name starts with the text, in id order, at most 50.
    /// Answered from indexes: the cost depends on the matches, not on the size of the community.</summary>
    /// <param name="community">The community.</param>
    /// <param name="text">The start of an id or a name; empty lists the first 50.</param>
    /// <returns>The residents.</returns>
    public IReadOnlyList<Resident> FindResidents(CommunityId community, string? text)
    {
        var id = community.Value;
        var q = text?.Trim() ?? string.Empty;
        return _store.Read(() => _store.FindResidents(id, q, MaxFound).Select(LedgerMapping.ToResident).ToList());
    }

    /// <summary>Every resident of a community in id order, at most <paramref name="max"/>: for exports. Reads the same
    /// index as <see cref="FindResidents"/>.</summary>
    /// <param name="community">The community.</param>
    /// <param name="max">At most this many.</param>
    /// <returns>The residents.</returns>
    public IReadOnlyList<Resident> ListResidents(CommunityId community, int max = 100_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var id = community.Value;
        return _store.Read(() => _store.FindResidents(id, string.Empty, max).Select(LedgerMapping.ToResident).ToList());
    }

    /// <summary>Net points per catalog category per local month, over the last <paramref name="months"/> months.</summary>
    /// <param name="resident">Who.</param>
    /// <param name="months">How many months back, including this one (1–24).</param>
    /// <returns>One row per month and category with points, oldest first.</returns>
    public IReadOnlyList<CategoryPoints> GetPointsByCategory(ResidentId resident, int months = 12)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(months, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(months, 24);
        return _store.Read(() => PointsByCategory(resident, months));
    }

    private List<CategoryPoints> PointsByCategory(ResidentId resident, int months)
    {
        var zone = _credit.ZoneOf(resident);
        var today = _clock.GetCurrentInstant().InZone(zone).Date;
        var first = new LocalDate(today.Year, today.Month, 1).PlusMonths(1 - months);
        var from = first.AtStartOfDayInZone(zone).ToInstant();
        var sums = new SortedDictionary<(string, string), long>();
        // Every entry of the period, not a page of them: a chart that silently dropped entries would mislead.
        foreach (var doc in _store.Query(new StatementSpecification(new StatementQuery(resident, from), paged: false)))
        {
            var entry = LedgerMapping.ToEntry(doc);
            if (entry.Indicator is not { } indicator || entry.Kind is not (EntryKind.Award or EntryKind.Deduction or EntryKind.Reversal))
            {
                continue;
            }

            var month = entry.OccurredAt.InZone(zone).Date.ToString("uuuu-MM", CultureInfo.InvariantCulture);
            var key = (month, indicator.Category);
            sums[key] = checked(sums.GetValueOrDefault(key) + entry.Points);
        }

        return sums.Select(kv => new CategoryPoints(kv.Key.Item1, kv.Key.Item2, kv.Value)).ToList();
    }

    /// <summary>A resident's loans, newest first.</summary>
    /// <param name="resident">Who.</param>
    /// <returns>The loans, returned or not.</returns>
    public IReadOnlyList<Loan> GetLoans(ResidentId resident)
    {
        var id = resident.Value;
        return _store.Read(() => _store.LoansOf(id)
            .Select(l => System.Text.Json.JsonSerializer.Deserialize<Loan>(l.Json, Utility.JsonSetup.Options)!).ToList());
    }
}
