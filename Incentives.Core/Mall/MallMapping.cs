using System.Text.Json;
using Incentives.Credit;
using Incentives.Utility;

namespace Incentives.Mall;

/// <summary>From the mall's stored documents to its values, for the handler and the read side alike; and the price a
/// resident pays.</summary>
internal static class MallMapping
{
    internal static string ItemKey(StoreId store, string sku) => store.Value + "|" + sku;

    internal static StoreItem ToItem(ItemDoc d) =>
        new(JsonSerializer.Deserialize<ItemDefinition>(d.Json, JsonSetup.Options)!, d.Stock, d.Held, d.Handed, d.Received);

    internal static Reservation ToReservation(ReservationDoc d) => JsonSerializer.Deserialize<Reservation>(d.Json, JsonSetup.Options)!;

    /// <summary>The best tier price the resident qualifies for, rounded half away from zero.</summary>
    internal static long UnitPrice(ItemDefinition item, Catalog.CreditTierTable tiers, CreditStanding credit)
    {
        var percent = 100;
        if (credit.Rated)
        {
            foreach (var p in item.TierPrices ?? [])
            {
                if (CreditCalculator.IndexOf(tiers, credit.Tier) <= CreditCalculator.IndexOf(tiers, p.Tier))
                {
                    percent = Math.Min(percent, p.Percent);
                }
            }
        }

        return (long)Math.Round(item.Price * percent / 100m, MidpointRounding.AwayFromZero);
    }
}
