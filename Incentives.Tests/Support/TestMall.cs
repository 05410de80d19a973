using Incentives.Catalog;
using Incentives.Ledger;
using Incentives.Mall;
using Incentives.Rules;

namespace Incentives.Tests.Support;

/// <summary>A store with a few items of every kind, on a <see cref="TestEngine"/>.</summary>
internal static class TestMall
{
    public static readonly StoreId Store = new("s1");

    public static void Open(TestEngine t, string? overdueIndicator = null)
    {
        Run(t.Engine.CreateStoreAsync(Store, TestEngine.Community, "东城积分超市"));
        Define(t, new ItemDefinition("RICE", "大米", "Rice", 30, ItemKind.Goods), 10);
        Define(t, new ItemDefinition("SOAP", "肥皂", "Soap", 7, ItemKind.Goods, Limit: new PurchaseLimit(2, PeriodKind.Month)), 100);
        Define(t, new ItemDefinition("HAIRCUT", "理发券", "Haircut voucher", 20, ItemKind.Service), 5);
        Define(t, new ItemDefinition("OIL", "食用油", "Cooking oil", 50, ItemKind.Goods, MinTier: "AA",
            TierPrices: [new TierPrice("AAA", 80)]), 5);
        Define(t, new ItemDefinition("UMBRELLA", "爱心雨伞", "Umbrella", 0, ItemKind.Loan, MinTier: "A", LoanDays: 7,
            OverdueIndicator: overdueIndicator is null ? null : new IndicatorCode(overdueIndicator)), 3);
    }

    public static void Define(TestEngine t, ItemDefinition item, long stock)
    {
        Run(t.Engine.DefineItemAsync(Store, item, "staff-1"));
        if (stock > 0)
        {
            Run(t.Engine.ChangeStockAsync(Store, item.Sku, StockChangeKind.Receive, stock, "staff-1", "delivery"));
        }
    }

    public static CommandResult<Reservation> Reserve(TestEngine t, ResidentId resident, params (string Sku, int Quantity)[] lines) =>
        t.Engine.ReserveAsync(new ReservationRequest(Store, resident, lines.Select(l => new LineRequest(l.Sku, l.Quantity)).ToList(), t.NextKey()))
            .GetAwaiter().GetResult();

    public static ResidentId Rich(TestEngine t, long points, string? id = null)
    {
        var r = t.NewResident(id);
        t.Adjust(r, points);
        return r;
    }

    private static T Run<T>(Task<CommandResult<T>> task)
        where T : class
    {
        var result = task.GetAwaiter().GetResult();
        return result.Value ?? throw new InvalidOperationException(result.Refusal?.Message);
    }
}
