using Incentives.Ledger;
using Incentives.Tests.Support;

namespace Incentives.Tests.Credit;

/// <summary>A large eligibility batch is stored in short commands (256 decisions each), so the writer is never held
/// for the whole batch: 10,000 decisions in one command held it ~0.8 s in the bench.</summary>
public sealed class EligibilityBatchStorageTests
{
    [Fact]
    public async Task Batch_OfSixHundredResidents_IsStoredInThreeShortCommands_InRequestOrder_WithIncreasingIds()
    {
        using var t = TestEngine.Create();
        var residents = Enumerable.Range(0, 600).Select(i => new ResidentId("e" + i)).ToArray(); // unknown residents get a decision too
        var before = t.Engine.Statistics;

        var batch = (await t.Engine.DecideEligibilityBatchAsync("HEATING-SUBSIDY", residents)).Value!;

        var after = t.Engine.Statistics;
        Assert.Equal(3, after.Commands - before.Commands);
        Assert.True(after.LargestBatch <= 256 || before.LargestBatch == after.LargestBatch, $"largest batch {after.LargestBatch}");
        Assert.Equal(residents, batch.Decisions.Select(d => d.Resident));
        var ids = batch.Decisions.Select(d => int.Parse(d.Id[3..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(600, ids.Distinct().Count());
        Assert.All(batch.Decisions, d => Assert.Equal((d.Resident, d.Eligible, d.AsOf), t.Engine.GetEligibilityDecision(d.Id) is { } found ? (found.Resident, found.Eligible, found.AsOf) : default));
    }
}
