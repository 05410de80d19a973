using Incentives.Catalog;
using Incentives.Ledger;
using Incentives.Tests.Support;
using NodaTime;
using NodaTime.Testing;

namespace Incentives.Tests.Catalog;

public sealed class CatalogHistoryTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "incentives-history-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Award_BackDatedBeforeANewVersion_IsScoredByTheVersionInForceOnItsDate()
    {
        var newer = Repo.CopyRules();
        RulesLoaderTests.Edit(newer, new("catalog.json", "\"effectiveFrom\": \"2026-01-01\"", "\"effectiveFrom\": \"2026-11-20\""));
        RulesLoaderTests.Edit(newer, new("catalog.json", "\"version\": \"2026.1\"", "\"version\": \"2026.2\""));
        RulesLoaderTests.Edit(newer, new("indicators/vol.json", "\"points\": 2, \"unit\": \"hour\"", "\"points\": 3, \"unit\": \"hour\""));
        var path = Path.Combine(_dir, "db");
        var clock = new FakeClock(TestEngine.Start);
        IncentivesEngine.Open(new IncentivesOptions { DatabasePath = path, RulesDirectory = Repo.Rules }, clock).Dispose();

        using var engine = IncentivesEngine.Open(new IncentivesOptions { DatabasePath = path, RulesDirectory = newer }, clock);
        await engine.RegisterCommunityAsync(TestEngine.Community, "东城社区");
        var r = (await engine.RegisterResidentAsync(TestEngine.Community, "赵六")).Value!.Id;
        var before = await engine.AwardAsync(new AwardRequest(r, new IndicatorCode("VOL-01"), 1, "staff-1", "old", Instant.FromUtc(2026, 11, 18, 2, 0)));
        var after = await engine.AwardAsync(new AwardRequest(r, new IndicatorCode("VOL-01"), 1, "staff-1", "new", Instant.FromUtc(2026, 11, 21, 2, 0)));

        Assert.Equal("2026.2", engine.Catalog.Version);
        Assert.Equal((2L, "2026.1"), (before.Value!.Points, before.Value.Decision!.CatalogVersion));
        Assert.Equal((3L, "2026.2"), (after.Value!.Points, after.Value.Decision!.CatalogVersion));
    }

    [Fact]
    public void Open_GoingBackToEarlierRules_MakesThemCurrentAgain()
    {
        var other = Repo.CopyRules();
        RulesLoaderTests.Edit(other, new("indicators/vol.json", "\"points\": 2, \"unit\": \"hour\"", "\"points\": 3, \"unit\": \"hour\""));
        var path = Path.Combine(_dir, "db");
        var clock = new FakeClock(TestEngine.Start);
        string original;
        using (var a = IncentivesEngine.Open(new IncentivesOptions { DatabasePath = path, RulesDirectory = Repo.Rules }, clock))
        {
            original = a.Catalog.Hash;
        }

        IncentivesEngine.Open(new IncentivesOptions { DatabasePath = path, RulesDirectory = other }, clock).Dispose();

        using var again = IncentivesEngine.Open(new IncentivesOptions { DatabasePath = path, RulesDirectory = Repo.Rules }, clock);
        Assert.Equal(original, again.Catalog.Hash);
        Assert.Equal(2, again.CatalogVersions.Count);
        Assert.Equal(2, again.Catalog.FindIndicator(new IndicatorCode("VOL-01"))!.Points);
    }

    [Fact]
    public void Open_BadRules_ThrowsWithEveryDiagnostic()
    {
        var bad = Repo.CopyRules();
        RulesLoaderTests.Edit(bad, new("catalog.json", "\"timeZone\": \"Asia/Shanghai\"", "\"timeZone\": \"Nowhere\""));

        var e = Assert.Throws<RulesLoadException>(() => IncentivesEngine.Open(new IncentivesOptions { RulesDirectory = bad }, new FakeClock(TestEngine.Start)));

        Assert.Equal("IR201", Assert.Single(e.Diagnostics).Code);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
