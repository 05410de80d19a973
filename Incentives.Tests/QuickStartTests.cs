using Incentives.Catalog;
using Incentives.Ledger;
using Incentives.Tests.Support;
using NodaTime;

namespace Incentives.Tests;

/// <summary>The README's library quick-start compiles and runs: the code between the markers below is the code the
/// README shows, and a test checks they have not drifted apart.</summary>
public sealed class QuickStartTests
{
    [Fact]
    public async Task QuickStart_AsInTheReadme_RecordsAndExplainsAnAward()
    {
        var dir = Path.Combine(Path.GetTempPath(), "quickstart-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var previous = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(Repo.Root);
        try
        {
            var line = await RunQuickStart(Path.Combine(dir, "incentives.db"));

            Assert.Equal("VOL-01 常规志愿服务: 2 × 2.5 h = 5 → 日上限 8 (已得 0) → 5 → 月上限 80 (已得 0) → 5 → 年上限 600 (已得 0) → 5 → 月总上限 200 (已得 0) → 5 → 年总上限 1500 (已得 0) → 5", line);
        }
        finally
        {
            Directory.SetCurrentDirectory(previous);
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void QuickStart_Readme_ShowsExactlyTheTestedCode()
    {
        var source = File.ReadAllLines(Path.Combine(Repo.Root, "Incentives.Tests", "QuickStartTests.cs"));
        var tested = Between(source, "// quick-start:begin", "// quick-start:end").Select(l => l.Trim()).ToList();
        var readme = File.ReadAllLines(Path.Combine(Repo.Root, "README.md"));
        var shown = Between(readme, "```csharp", "```").Select(l => l.Trim()).ToList();

        Assert.NotEmpty(tested);
        Assert.Equal(tested, shown);
    }

    private static async Task<string> RunQuickStart(string path)
    {
        // quick-start:begin
        using var engine = IncentivesEngine.Open(new IncentivesOptions { DatabasePath = path, RulesDirectory = "rules" }, SystemClock.Instance);
        await engine.RegisterCommunityAsync(new CommunityId("east"), "东城社区");
        var resident = (await engine.RegisterResidentAsync(new CommunityId("east"), "张三")).Value!;
        var award = await engine.AwardAsync(new AwardRequest(resident.Id, new IndicatorCode("VOL-01"), 2.5m, "staff-1", "first-award"));
        Console.WriteLine(award.Value!.Decision!.Explain());
        // quick-start:end
        return award.Value!.Decision!.Explain();
    }

    private static string[] Between(string[] lines, string begin, string end)
    {
        var start = Array.FindIndex(lines, l => l.Trim() == begin);
        var stop = Array.FindIndex(lines, start + 1, l => l.Trim() == end);
        return start < 0 || stop < 0 ? [] : lines[(start + 1)..stop];
    }
}
