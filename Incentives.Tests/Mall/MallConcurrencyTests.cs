using Incentives.Ledger;
using Incentives.Mall;
using Incentives.Rules;
using Incentives.Tests.Support;

namespace Incentives.Tests.Mall;

public sealed class MallConcurrencyTests
{
    private const int Rounds = 50;

    [Fact]
    public async Task Reserve_64ResidentsRaceForStockOf10_ExactlyTenWinEveryRound()
    {
        for (var round = 0; round < Rounds; round++)
        {
            using var t = TestEngine.Create();
            TestMall.Open(t);
            var residents = (await Task.WhenAll(Enumerable.Range(0, 64).Select(i =>
                t.Engine.RegisterResidentAsync(TestEngine.Community, "居民" + i, new ResidentId("p" + i))))).Select(x => x.Value!.Id).ToList();
            await Task.WhenAll(residents.Select(r => t.Engine.AdjustAsync(new AdjustmentRequest(r, 100, "seed", "staff-1", "seed-" + r.Value))));

            var results = await Race(residents.Select(r => new ReservationRequest(TestMall.Store, r, [new LineRequest("RICE", 1)], "race-" + r.Value)), t);

            Assert.Equal(10, results.Count(x => x.Succeeded));
            Assert.All(results.Where(x => !x.Succeeded), x => Assert.Equal(RefusalCode.OutOfStock, x.Refusal!.Code));
            var rice = t.Engine.GetItems(TestMall.Store).Single(i => i.Definition.Sku == "RICE");
            Assert.Equal((0L, 10L), (rice.Stock, rice.Held));
            Assert.All(residents, r => Assert.True(t.Engine.VerifyChain(r).Valid));
            Assert.Equal(10 * 30, residents.Sum(r => t.Engine.GetBalance(r)!.Reserved));
        }
    }

    [Fact]
    public async Task Reserve_64TasksSpendOneBalance_ExactlyWhatItCoversSucceedsEveryRound()
    {
        for (var round = 0; round < Rounds; round++)
        {
            using var t = TestEngine.Create();
            TestMall.Open(t);
            TestMall.Define(t, new ItemDefinition("TEA", "茶叶", "Tea", 7, ItemKind.Goods), 1000);
            var r = TestMall.Rich(t, 100);

            var results = await Race(Enumerable.Range(0, 64).Select(i => new ReservationRequest(TestMall.Store, r, [new LineRequest("TEA", 1)], "spend-" + i)), t);

            Assert.Equal(14, results.Count(x => x.Succeeded)); // 14 × 7 = 98 ≤ 100 < 105
            Assert.All(results.Where(x => !x.Succeeded), x => Assert.Equal((RefusalCode.InsufficientPoints, 5L), (x.Refusal!.Code, x.Refusal.Shortfall!.Value)));
            Assert.Equal(new Balance(2, 0, 98, 100), t.Engine.GetBalance(r));
            Assert.Equal(1000 - 14, t.Engine.GetItems(TestMall.Store).Single(i => i.Definition.Sku == "TEA").Stock);
            Assert.True(t.Engine.VerifyChain(r).Valid);
        }
    }

    private static async Task<CommandResult<Reservation>[]> Race(IEnumerable<ReservationRequest> requests, TestEngine t)
    {
        using var start = new ManualResetEventSlim();
        var tasks = requests.Select(q => Task.Run(async () =>
        {
            start.Wait();
            return await t.Engine.ReserveAsync(q);
        })).ToArray();
        start.Set();
        return await Task.WhenAll(tasks);
    }
}
