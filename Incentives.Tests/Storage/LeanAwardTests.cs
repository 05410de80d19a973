using Incentives.Catalog;
using Incentives.Ledger;
using Incentives.Tests.Support;

namespace Incentives.Tests.Storage;

/// <summary>Issue 12's lean award, counted by the store port: a plain award writes its entry, its lot and the account
/// (3 documents); an award with a credit effect adds the credit record and the credit account (5). Each batch also
/// writes a few meta documents (next ids, sequence, ledger head): one award alone shows them in full, a batch shares
/// them.</summary>
public sealed class LeanAwardTests
{
    [Theory]
    [InlineData("FAM-02", 3)] // no credit effect
    [InlineData("FAM-04", 5)] // creditDelta +2
    public async Task Awards_OnWarmResidents_WriteTheDocumentsTheyNeed_PlusTheBatchsMetaShared(string indicator, long perAward)
    {
        using var t = TestEngine.Create();
        var residents = Enumerable.Range(0, 256).Select(i => t.NewResident("lean" + i)).ToArray();
        await Task.WhenAll(residents.Select(r => t.Engine.AwardAsync(new AwardRequest(r, new IndicatorCode(indicator), 1, "staff-1", "warm-" + r))));
        var before = t.Engine.Statistics;

        var results = await Task.WhenAll(residents.Select(r => t.Engine.AwardAsync(new AwardRequest(r, new IndicatorCode(indicator), 1, "staff-1", "lean-" + r))));

        var after = t.Engine.Statistics;
        Assert.All(results, r => Assert.True(r.Succeeded));
        var commands = after.Commands - before.Commands;
        var batches = after.Batches - before.Batches;
        var documents = after.DocumentsWritten - before.DocumentsWritten;
        Assert.Equal(256, commands);
        Assert.InRange(documents - (perAward * commands), 0, 4 * batches); // ≤ 4 meta documents per batch
    }
}
