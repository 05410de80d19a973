using Incentives.Catalog;
using Incentives.Ledger;
using Incentives.Tests.Support;

namespace Incentives.Tests.Ledger;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Award_64TasksAtOnceOnOneAndManyResidentsWithReplayedKeys_AppliesEveryKeyExactlyOnce()
    {
        using var t = TestEngine.Create();
        var shared = t.NewResident("shared");
        var many = Enumerable.Range(0, 16).Select(i => t.NewResident("many" + i)).ToList();
        var requests = new List<AwardRequest>();
        for (var i = 0; i < 64; i++)
        {
            // Two thirds new keys; the rest replay a key another task also sends, with the same payload.
            var keyIndex = i % 3 == 2 ? i - 1 : i;
            var resident = keyIndex % 2 == 0 ? shared : many[keyIndex % many.Count];
            requests.Add(new AwardRequest(resident, new IndicatorCode("FAM-04"), 1, "staff-1", "key" + keyIndex));
        }

        using var start = new ManualResetEventSlim();
        var tasks = requests.Select(r => Task.Run(async () =>
        {
            start.Wait();
            return await t.Engine.AwardAsync(r);
        })).ToArray();
        start.Set();
        var results = await Task.WhenAll(tasks);

        var distinctKeys = requests.Select(r => r.IdempotencyKey).Distinct().Count();
        var entries = new[] { shared }.Concat(many).SelectMany(r => t.Engine.GetStatement(new StatementQuery(r, PageSize: 500)).Items).ToList();
        Assert.All(results, r => Assert.True(r.Succeeded));
        Assert.Equal(distinctKeys, entries.Count);
        Assert.Equal(distinctKeys, entries.Select(e => e.IdempotencyKey).Distinct().Count());
        Assert.Equal(64 - distinctKeys, results.Count(r => r.Replayed));
        foreach (var group in results.GroupBy(r => r.Value!.IdempotencyKey))
        {
            Assert.Single(group.Select(r => r.Value!.Hash).Distinct());
        }

        foreach (var resident in many.Prepend(shared))
        {
            var balance = t.Engine.GetBalance(resident)!;
            Assert.Equal(entries.Where(e => e.Resident == resident).Sum(e => e.Points), balance.Total);
            Assert.True(t.Engine.VerifyChain(resident).Valid);
        }
    }

    [Fact]
    public async Task Award_ManyConcurrentWriters_AreGroupCommittedInBatches()
    {
        using var t = TestEngine.Create();
        var residents = Enumerable.Range(0, 50).Select(i => t.NewResident("b" + i)).ToList();

        var results = await Task.WhenAll(Enumerable.Range(0, 2000).Select(i =>
            t.Engine.AwardAsync(new AwardRequest(residents[i % 50], new IndicatorCode("FAM-02"), 1, "staff-1", "batch" + i))));

        Assert.All(results, r => Assert.True(r.Succeeded || r.Refusal!.Code == Incentives.Rules.RefusalCode.CapReached));
        Assert.Equal(500, results.Count(r => r.Succeeded)); // FAM-02 caps at 10 a month: 50 residents × 10
        Assert.All(residents, r => Assert.Equal(10, t.Engine.GetBalance(r)!.Available));
    }
}
