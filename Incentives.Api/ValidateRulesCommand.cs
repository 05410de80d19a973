using Incentives.Catalog;

namespace Incentives.Api;

/// <summary><c>validate-rules [DIR]</c>: prints every diagnostic in MSBuild form and <c>N error(s)</c>; exit code 0
/// only when there are none.</summary>
internal static class ValidateRulesCommand
{
    public static int Run(string directory, TextWriter output)
    {
        var result = RulesLoader.Load(directory);
        foreach (var d in result.Diagnostics)
        {
            output.WriteLine(d.ToString());
        }

        output.WriteLine($"{result.Diagnostics.Count} error(s)");
        if (result.Succeeded)
        {
            var s = result.Snapshot!;
            output.WriteLine($"catalog {s.Version} ({s.Indicators.Count} indicators in {s.Categories.Count} categories), sha256 {s.Hash}");
        }

        return result.Succeeded ? 0 : 1;
    }
}
