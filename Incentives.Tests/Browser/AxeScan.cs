using System.Text.Json;
using Incentives.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Incentives.Tests.Browser;

/// <summary>axe-core (from npm, installed by .ci/run into .ci/node) injected into a page: the violations by impact.</summary>
internal static class AxeScan
{
    private static string AxePath => Path.Combine(Repo.Root, ".ci", "node", "node_modules", "axe-core", "axe.min.js");

    /// <summary>Runs axe on the page as it is now.</summary>
    /// <returns>Counts of critical, serious and moderate violations, and the first targets of each, for the message.</returns>
    public static async Task<(int Critical, int Serious, int Moderate, string Details)> RunAsync(IPage page)
    {
        Assert.True(File.Exists(AxePath), $"axe-core is missing at {AxePath}: npm install --no-save --prefix .ci/node axe-core@4 (.ci/run does it)");
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe !== 'undefined'"))
        {
            await page.AddScriptTagAsync(new() { Path = AxePath });
        }

        var result = await page.EvaluateAsync<JsonElement>(
            """
            async () => {
              const r = await axe.run(document, { resultTypes: ['violations'] });
              const c = { critical: 0, serious: 0, moderate: 0, minor: 0, details: [] };
              for (const v of r.violations) {
                c[v.impact] = (c[v.impact] ?? 0) + 1;
                c.details.push(`${v.impact} ${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
              }
              return c;
            }
            """);
        int Count(string impact) => result.GetProperty(impact).GetInt32();
        var details = string.Join("; ", result.GetProperty("details").EnumerateArray().Select(d => d.GetString()));
        return (Count("critical"), Count("serious"), Count("moderate"), details);
    }

    /// <summary>Runs axe, prints the <c>COUNT: axe {label}</c> line, and adds a failure for any critical or serious
    /// violation, so a test can scan every screen and report them all at once.</summary>
    public static async Task RecordAsync(IPage page, string label, ITestOutputHelper output, List<string> failures)
    {
        var (critical, serious, moderate, details) = await RunAsync(page);
        output.WriteLine($"COUNT: axe {label} critical={critical} serious={serious} moderate={moderate}");
        if (details.Length > 0)
        {
            output.WriteLine($"axe {label}: {details}");
        }

        if (critical != 0 || serious != 0)
        {
            failures.Add($"axe on {label}: {details}");
        }
    }
}
