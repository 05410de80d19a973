using Incentives.Api;
using Incentives.Tests.Catalog;
using Incentives.Tests.Support;

namespace Incentives.Tests.Api;

public sealed class ValidateRulesCommandTests
{
    [Fact]
    public void Run_RepositoryRules_PrintsZeroErrorsAndExitsZero()
    {
        using var output = new StringWriter();

        var exit = ValidateRulesCommand.Run(Repo.Rules, output);

        Assert.Equal(0, exit);
        Assert.StartsWith("0 error(s)", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ThreePlantedMistakes_PrintsThreeMsbuildLinesAndExitsNonZero()
    {
        var copy = Repo.CopyRules();
        var tz = RulesLoaderTests.Edit(copy, new("catalog.json", "\"timeZone\": \"Asia/Shanghai\"", "\"timeZone\": ⟦\"Asia/Shanghia\""));
        var unit = RulesLoaderTests.Edit(copy, new("indicators/vol.json", "\"unit\": \"hour\", \"maxQuantity\": 12", "\"unit\": ⟦\"hours\", \"maxQuantity\": 12"));
        var tier = RulesLoaderTests.Edit(copy, new("credit-tiers.json", "\"min\": 1030, \"max\": 1049", "\"min\": 1030, \"max\": ⟦1050"));
        using var output = new StringWriter();

        var exit = ValidateRulesCommand.Run(copy, output);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.NotEqual(0, exit);
        Assert.Equal(
            [
                $"{copy}/catalog.json({tz.Line},{tz.Column}): error IR201: unknown time zone 'Asia/Shanghia'; did you mean 'Asia/Shanghai'?",
                $"{copy}/indicators/vol.json({unit.Line},{unit.Column}): error IR106: unknown unit 'hours' for 'VOL-01'; did you mean 'hour'?",
                $"{copy}/credit-tiers.json({tier.Line},{tier.Column}): error IR301: tier 'AA' (max 1050) overlaps tier 'AAA' (min 1050)",
                "3 error(s)",
            ],
            lines);
    }
}
