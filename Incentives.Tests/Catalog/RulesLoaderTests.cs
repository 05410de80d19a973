using Incentives.Catalog;
using Incentives.Tests.Support;

namespace Incentives.Tests.Catalog;

public sealed class RulesLoaderTests
{
    private const string Marker = "⟦";

    [Fact]
    public void Load_RepositoryRules_HasZeroDiagnostics()
    {
        var result = RulesLoader.Load(Repo.Rules);

        Assert.Empty(result.Diagnostics);
        Assert.True(result.Succeeded);
        Assert.Equal(30, result.Snapshot!.Indicators.Count);
        Assert.Equal(6, result.Snapshot.Categories.Count);
        Assert.Equal(5, result.Snapshot.Categories.Select(c => result.Snapshot.Indicators.Count(i => i.Category == c.Code)).Distinct().Single());
        Assert.Equal("Asia/Shanghai", result.Snapshot.TimeZone.Id);
        Assert.Matches("^[0-9a-f]{64}$", result.Snapshot.Hash);
    }

    [Fact]
    public void Load_SameRulesWithOtherLayoutAndComments_GivesTheSameHash()
    {
        var copy = Repo.CopyRules();
        var file = Path.Combine(copy, "indicators", "vol.json");
        File.WriteAllText(file, "// reformatted\n" + File.ReadAllText(file).Replace("\n      ", "\n  /* moved */ ", StringComparison.Ordinal));

        var original = RulesLoader.Load(Repo.Rules).Snapshot!.Hash;
        var reformatted = RulesLoader.Load(copy).Snapshot!.Hash;

        Assert.Equal(original, reformatted);
    }

    [Fact]
    public void Load_ChangedPoints_ChangesTheHash()
    {
        var copy = Repo.CopyRules();
        Edit(copy, new("indicators/vol.json", "\"points\": 2, \"unit\": \"hour\"", "\"points\": 3, \"unit\": \"hour\""));

        Assert.NotEqual(RulesLoader.Load(Repo.Rules).Snapshot!.Hash, RulesLoader.Load(copy).Snapshot!.Hash);
    }

    public static TheoryData<string, string, string, string, string, string> PlantedMistakes() => new()
    {
        // code, file of the diagnostic, file to edit, find, replace (⟦ marks where the diagnostic must point), message fragment
        { "IR001", "indicators/vol.json", "indicators/vol.json", "\"points\": 2, \"unit\": \"hour\"", "\"points\": 2 ⟦\"unit\": \"hour\"", "" },
        { "IR002", "indicators/vol.json", "indicators/vol.json", "\"points\": 2, \"unit\": \"hour\"", "\"points\": 2, ⟦\"pionts\": 2, \"unit\": \"hour\"", "did you mean 'points'?" },
        { "IR003", "indicators/vol.json", "indicators/vol.json", "\"points\": 2, \"unit\": \"hour\"", "\"points\": 2, ⟦\"points\": 3, \"unit\": \"hour\"", "duplicate key 'points'" },
        { "IR004", "indicators/vol.json", "indicators/vol.json", "\"points\": 2, \"unit\": \"hour\"", "\"points\": ⟦\"2\", \"unit\": \"hour\"", "must be an integer" },
        { "IR005", "indicators/vol.json", "indicators/vol.json", "{ \"code\": \"VOL-01\", \"nameZh\": \"常规志愿服务\", \"nameEn\": \"Volunteer service\",\n      \"points\": 2, \"unit\": \"hour\",", "⟦{ \"code\": \"VOL-01\", \"nameZh\": \"常规志愿服务\", \"nameEn\": \"Volunteer service\",\n      \"points\": 2,", "missing required property 'unit'" },
        { "IR007", "indicators/vol.json", "indicators/vol.json", "\"$schema\": \"../schemas/indicators.schema.json\"", "\"$schema\": ⟦\"../schemas/catalog.schema.json\"", "must name 'indicators.schema.json'" },
        { "IR101", "indicators/vol.json", "indicators/vol.json", "\"code\": \"VOL-02\"", "\"code\": ⟦\"VOL-01\"", "duplicate indicator code 'VOL-01'" },
        { "IR102", "indicators/vol.json", "indicators/vol.json", "\"code\": \"VOL-02\"", "\"code\": ⟦\"VOL-2\"", "indicator code 'VOL-2'" },
        { "IR104", "indicators/vol.json", "indicators/vol.json", "\"caps\": { \"day\": 8, \"month\": 80, \"year\": 600 }", "\"caps\": { \"day\": ⟦120, \"month\": 80, \"year\": 600 }", "caps.day (120) exceeds caps.month (80) for 'VOL-01'" },
        { "IR105", "indicators/vol.json", "indicators/vol.json", "\"caps\": { \"day\": 8, \"month\": 80, \"year\": 600 }", "\"caps\": { \"day\": ⟦-8, \"month\": 80, \"year\": 600 }", "must have the sign of points (2)" },
        { "IR106", "indicators/vol.json", "indicators/vol.json", "\"unit\": \"hour\", \"maxQuantity\": 12", "\"unit\": ⟦\"hours\", \"maxQuantity\": 12", "did you mean 'hour'?" },
        { "IR107", "indicators/vol.json", "indicators/vol.json", "\"year\": 600 }, \"evidence\": \"E1\"", "\"year\": 600 }, \"evidence\": ⟦\"E5\"", "evidence level 'E5'" },
        { "IR108", "indicators/vol.json", "indicators/vol.json", "\"points\": 2, \"unit\": \"hour\"", "\"points\": ⟦0, \"unit\": \"hour\"", "must not be 0" },
        { "IR110", "indicators/vol.json", "indicators/vol.json", "\"code\": \"VOL-02\"", "\"code\": ⟦\"GOV-09\"", "does not belong to category 'VOL'" },
        { "IR111", "indicators/vol.json", "indicators/vol.json", "\"maxQuantity\": 5,", "\"maxQuantity\": ⟦5.5,", "only 'hour' allows fractions" },
        { "IR201", "catalog.json", "catalog.json", "\"timeZone\": \"Asia/Shanghai\"", "\"timeZone\": ⟦\"Asia/Shanghia\"", "did you mean 'Asia/Shanghai'?" },
        { "IR202", "catalog.json", "catalog.json", "\"effectiveFrom\": \"2026-01-01\"", "\"effectiveFrom\": ⟦\"2026-13-01\"", "must be a date" },
        { "IR301", "credit-tiers.json", "credit-tiers.json", "\"min\": 1030, \"max\": 1049", "\"min\": 1030, \"max\": ⟦1050", "overlaps tier 'AAA'" },
        { "IR302", "credit-tiers.json", "credit-tiers.json", "\"min\": 1030, \"max\": 1049", "\"min\": 1030, \"max\": ⟦1048", "scores 1049–1049 fall in no tier" },
        { "IR303", "credit-tiers.json", "credit-tiers.json", "{ \"code\": \"B\",", "{ \"code\": ⟦\"A\",", "duplicate tier code 'A'" },
        { "IR401", "volunteer-stars.json", "volunteer-stars.json", "{ \"level\": 3, \"hours\": 600", "{ \"level\": 3, \"hours\": ⟦250", "needs more hours than the level before (300)" },
        { "IR402", "volunteer-stars.json", "volunteer-stars.json", "{ \"level\": 3,", "{ \"level\": ⟦4,", "expected 3, found 4" },
        { "IR502", "benefits.json", "benefits.json", "\"benefits\": [", "\"benefits\": [ { \"code\": \"HEAT\", \"nameZh\": \"供暖补贴\", \"nameEn\": \"Heating\", \"minTier\": ⟦\"AAAA\" },", "did you mean 'AAA'?" },
        { "IR503", "benefits.json", "benefits.json", "\"benefits\": [", "\"benefits\": [ { \"code\": ⟦\"HEAT\", \"nameZh\": \"供暖补贴\", \"nameEn\": \"Heating\" },", "needs minTier, minStars or both" },
    };

    [Theory]
    [MemberData(nameof(PlantedMistakes))]
    public void Load_PlantedMistake_ReportsOneDiagnosticAtItsPosition(string code, string diagnosticFile, string editFile, string find, string replace, string fragment)
    {
        var copy = Repo.CopyRules();
        var (line, column) = Edit(copy, new(editFile, find, replace));

        var result = RulesLoader.Load(copy);

        var d = Assert.Single(result.Diagnostics);
        Assert.Null(result.Snapshot);
        Assert.Equal((code, Path.Combine(copy, diagnosticFile).Replace('\\', '/'), line, column), (d.Code, d.File, d.Line, d.Column));
        Assert.Contains(fragment, d.Message, StringComparison.Ordinal);
        Assert.StartsWith($"{d.File}({line},{column}): error {code}: ", d.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CategoryMissingFromCatalog_ReportsUnknownCategoryInTheIndicatorFile()
    {
        var copy = Repo.CopyRules();
        Edit(copy, new("catalog.json", "    { \"code\": \"VOL\", \"nameZh\": \"志愿服务\", \"nameEn\": \"Volunteering\" },\n", string.Empty));
        var (line, column) = Edit(copy, new("indicators/vol.json", "\"category\": \"VOL\"", "\"category\": ⟦\"VOL\""));

        var d = Assert.Single(RulesLoader.Load(copy).Diagnostics);

        Assert.Equal(("IR103", line, column), (d.Code, d.Line, d.Column));
        Assert.EndsWith("indicators/vol.json", d.File, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_ReportsItAtLineOne()
    {
        var copy = Repo.CopyRules();
        File.Delete(Path.Combine(copy, "volunteer-stars.json"));

        var d = Assert.Single(RulesLoader.Load(copy).Diagnostics);

        Assert.Equal(("IR006", 1, 1), (d.Code, d.Line, d.Column));
        Assert.EndsWith("volunteer-stars.json", d.File, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ManyMistakesInManyFiles_ReportsEveryOne()
    {
        var copy = Repo.CopyRules();
        Edit(copy, new("catalog.json", "\"timeZone\": \"Asia/Shanghai\"", "\"timeZone\": \"Mars/Olympus\""));
        Edit(copy, new("indicators/env.json", "\"unit\": \"month\"", "\"unit\": \"moon\""));
        Edit(copy, new("volunteer-stars.json", "\"hours\": 600", "\"hours\": 200"));

        var codes = RulesLoader.Load(copy).Diagnostics.Select(d => d.Code).ToList();

        Assert.Equal(["IR201", "IR106", "IR401"], codes);
    }

    [Fact]
    public void Load_WeihaiPreset_CanBeSelected()
    {
        var copy = Repo.CopyRules();
        Edit(copy, new("catalog.json", "\"creditTiers\": \"credit-tiers.json\"", "\"creditTiers\": \"presets/credit-tiers.weihai.json\""));

        var tiers = RulesLoader.Load(copy).Snapshot!.CreditTiers;

        Assert.Equal("Weihai city preset", tiers.Name);
        Assert.Equal("AAA", tiers.TierFor(1150).Code);
        Assert.Equal("D", tiers.TierFor(800).Code);
    }

    internal sealed record FileEdit(string File, string Find, string Replace);

    /// <summary>Applies one edit and returns the 1-based line and column of the marker, which it removes.</summary>
    internal static (int Line, int Column) Edit(string root, FileEdit edit)
    {
        var path = Path.Combine(root, edit.File);
        var text = File.ReadAllText(path);
        var at = text.IndexOf(edit.Find, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{edit.Find}' not found in {edit.File}");
        text = string.Concat(text.AsSpan(0, at), edit.Replace, text.AsSpan(at + edit.Find.Length));
        var marker = text.IndexOf(Marker, StringComparison.Ordinal);
        var position = (0, 0);
        if (marker >= 0)
        {
            var before = text[..marker];
            position = (before.Count(c => c == '\n') + 1, marker - before.LastIndexOf('\n'));
            text = text.Remove(marker, Marker.Length);
        }

        File.WriteAllText(path, text);
        return position;
    }
}
