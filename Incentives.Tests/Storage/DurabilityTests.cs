using Incentives.Catalog;
using Incentives.Ledger;
using Incentives.Tests.Support;
using NodaTime.Testing;

namespace Incentives.Tests.Storage;

public sealed class DurabilityTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "incentives-db-" + Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(_dir, "incentives.db");

    [Fact]
    public void Reopen_MidSequence_KeepsIdenticalBalancesAndAVerifiableChain()
    {
        var before = new Dictionary<ResidentId, Balance>();
        List<ResidentId> residents;
        using (var t = TestEngine.Create(DatabasePath))
        {
            residents = Enumerable.Range(0, 5).Select(i => t.NewResident("p" + i)).ToList();
            foreach (var r in residents)
            {
                t.Award(r, "VOL-01", 2.5m);
                t.Award(r, "CIV-05", 1);
            }

            foreach (var r in residents)
            {
                before[r] = t.Engine.GetBalance(r)!;
            }
        }

        using (var t = TestEngine.Reopen(DatabasePath))
        {
            foreach (var r in residents)
            {
                Assert.Equal(before[r], t.Engine.GetBalance(r));
                Assert.Equal(new ChainVerification(true, 2, null), t.Engine.VerifyChain(r));
            }

            var replay = t.Award(residents[0], "VOL-01", 2.5m, key: "k1");
            var next = t.Award(residents[0], "GOV-01", 1, key: "after-reopen");
            Assert.True(replay.Replayed);
            Assert.Equal(3, next.Value!.Sequence);
            Assert.True(t.Engine.VerifyChain(residents[0]).Valid);
        }

        Assert.Equal(0, new FileInfo(DatabasePath + ".commands").Length);
    }

    [Fact]
    public async Task Crash_AfterTheCommandLogButBeforeTheDatabase_IsReplayedOnOpen()
    {
        var clock = new FakeClock(TestEngine.Start);
        var crash = false;
        ResidentId resident;
        var options = new IncentivesOptions { DatabasePath = DatabasePath, RulesDirectory = Repo.Rules };
        var engine = IncentivesEngine.Open(options, clock, () => crash);
        await engine.RegisterCommunityAsync(TestEngine.Community, "东城社区");
        resident = (await engine.RegisterResidentAsync(TestEngine.Community, "李四", new ResidentId("crash"))).Value!.Id;
        await engine.AwardAsync(new AwardRequest(resident, new IndicatorCode("VOL-01"), 1, "staff-1", "before"));

        crash = true;
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            engine.AwardAsync(new AwardRequest(resident, new IndicatorCode("VOL-01"), 2, "staff-1", "logged")));
        engine.Dispose();

        using var reopened = IncentivesEngine.Open(options, clock);
        Assert.Equal(6, reopened.GetBalance(resident)!.Available);
        var replay = await reopened.AwardAsync(new AwardRequest(resident, new IndicatorCode("VOL-01"), 2, "staff-1", "logged"));
        Assert.True(replay.Replayed);
        Assert.True(reopened.VerifyChain(resident).Valid);
    }

    [Fact]
    public void Open_TornTailInTheCommandLog_IsCutOffAndTheRestReplays()
    {
        using (var t = TestEngine.Create(DatabasePath))
        {
            t.NewResident("torn");
        }

        File.AppendAllText(DatabasePath + ".commands", "\u0040\u0000\u0000\u0000garbage");

        using var reopened = TestEngine.Reopen(DatabasePath);
        Assert.NotNull(reopened.Engine.GetResident(new ResidentId("torn")));
        Assert.Equal(0, new FileInfo(DatabasePath + ".commands").Length);
    }

    [Fact]
    public async Task Checkpoint_WhileRunning_EmptiesTheLogAndKeepsEverything()
    {
        var clock = new FakeClock(TestEngine.Start);
        var options = new IncentivesOptions { DatabasePath = DatabasePath, RulesDirectory = Repo.Rules, CommandLogCheckpointBytes = 1 };
        using (var engine = IncentivesEngine.Open(options, clock))
        {
            await engine.RegisterCommunityAsync(TestEngine.Community, "东城社区");
            var r = (await engine.RegisterResidentAsync(TestEngine.Community, "王五", new ResidentId("cp"))).Value!.Id;
            await engine.AwardAsync(new AwardRequest(r, new IndicatorCode("VOL-01"), 1, "staff-1", "cp1"));

            Assert.Equal(0, new FileInfo(DatabasePath + ".commands").Length);
        }

        using var reopened = IncentivesEngine.Open(options, clock);
        Assert.Equal(2, reopened.GetBalance(new ResidentId("cp"))!.Available);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
