using Incentives.Catalog;
using Incentives.Ledger;
using Incentives.Tests.Support;
using NodaTime.Testing;

namespace Incentives.Tests.Storage;

/// <summary>
/// The writer thread never dies. Before, a store exception on the writer ended the thread (or, once LiteDB had closed
/// its engine, the next BeginTrans threw outside any try and the process aborted with exit 134).
/// </summary>
public sealed class WriterFaultTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "incentives-fault-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task StoreFault_InsideABatch_FailsItsCallersAsFaulted_ReopensTheStore_AndTheLoggedCommandIsAppliedOnce()
    {
        var options = new IncentivesOptions { DatabasePath = Path.Combine(_dir, "incentives.db"), RulesDirectory = Repo.Rules };
        using var engine = IncentivesEngine.Open(options, new FakeClock(TestEngine.Start));
        await engine.RegisterCommunityAsync(TestEngine.Community, "东城社区");
        var resident = (await engine.RegisterResidentAsync(TestEngine.Community, "故障", new ResidentId("fault"))).Value!.Id;
        var request = new AwardRequest(resident, new IndicatorCode("FAM-04"), 1, "staff-1", "during-fault");
        var broken = false;
        engine.Writer.FaultInsideBatch = () =>
        {
            if (!broken)
            {
                broken = true;
                ((Incentives.Storage.LiteDb.LiteStore)engine.Store).Database.Dispose(); // as LiteDB does itself when one of its writes fails
            }
        };

        var failure = await Assert.ThrowsAsync<StoreUnavailableException>(() => engine.AwardAsync(request));
        var retry = await engine.AwardAsync(request);
        var next = await engine.AwardAsync(request with { IdempotencyKey = "after-fault" });

        Assert.Equal(StoreProblem.Faulted, failure.Problem);
        Assert.True(retry.Replayed, "the faulted command was in the log and was applied when the store reopened");
        Assert.True(next.Succeeded);
        Assert.Equal(4, engine.GetBalance(resident)!.Available);
        Assert.True(engine.Verify().Valid);
        Assert.True(engine.Health.Writable);
    }

    [Fact]
    public async Task CommandThatThrows_InsideABatch_FailsAlone_AndTheRestOfTheBatchIsApplied()
    {
        using var t = TestEngine.Create();
        var residents = Enumerable.Range(0, 20).Select(i => t.NewResident("b" + i)).ToList();
        t.Engine.Writer.BugIn = c => c is AwardCommand a && a.Request.Resident == residents[7];

        var results = await Task.WhenAll(residents.Select((r, i) => Capture(t.Engine.AwardAsync(new AwardRequest(r, new IndicatorCode("FAM-04"), 1, "staff-1", "k" + i)))));

        Assert.Equal([.. Enumerable.Range(0, 20).Select(i => i != 7)], results.Select(r => r.Succeeded));
        Assert.Equal([.. Enumerable.Range(0, 20).Select(i => i == 7 ? 0L : 2L)], residents.Select(r => t.Engine.GetBalance(r)!.Available));
        Assert.True(t.Engine.Health.Writable);
        t.Engine.Writer.BugIn = null;
        Assert.True((await t.Engine.AwardAsync(new AwardRequest(residents[7], new IndicatorCode("FAM-04"), 1, "staff-1", "k7-again"))).Succeeded);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static async Task<(bool Succeeded, Exception? Error)> Capture(Task<CommandResult<JournalEntry>> task)
    {
        try
        {
            return ((await task).Succeeded, null);
        }
        catch (InvalidOperationException e)
        {
            return (false, e);
        }
    }
}
